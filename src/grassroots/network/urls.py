from django.urls import URLPattern, URLResolver, path

import grassroots.members.urls  # noqa: F401  (registers the 'id' and 'ident' converters)
from grassroots.network import api
from grassroots.network.views import (
    directory,
    gatherings,
    groups,
    hub,
    hustings_meeting,
    mydata,
    primaries,
    roll_invitations,
)

app_name = "network"
urlpatterns: list[URLPattern | URLResolver] = []

# the directory (profiles, contact form, consents, what people shared), one's own data, the
# hub and gatherings: docs/network.md
N = "networks/<slug:network>/"
urlpatterns += [
    path(f"{N}directory/", directory.groups, name="directory"),
    path(f"{N}directory/<slug:group>/", directory.profile, name="group_profile"),
    path(f"{N}directory/<slug:group>/edit/", directory.profile_edit, name="group_profile_edit"),
    path(f"{N}directory/<slug:group>/shared/", directory.shared, name="group_shared"),
    path(f"{N}consent/", directory.consents, name="consents"),
    path(f"{N}consent/<id:pk>/withdraw/", directory.consent_revoke, name="consent_revoke"),
    path(f"{N}my-data/", mydata.page, name="mydata"),
    path(f"{N}my-data/download.json", mydata.download, {"fmt": "json"}, name="mydata_json"),
    path(f"{N}my-data/download.csv", mydata.download, {"fmt": "csv"}, name="mydata_csv"),
    path(f"{N}hub/", hub.index, name="hub"),
    path(f"{N}hub/new/", hub.new, name="hub_new"),
    path(f"{N}hub/<id:pk>/", hub.detail, name="hub_detail"),
    path(f"{N}hub/<id:pk>/file", hub.document, name="hub_document"),
    path(f"{N}hub/<id:pk>/withdraw/", hub.withdraw, name="hub_withdraw"),
    path(f"{N}gatherings/", gatherings.index, name="gatherings"),
    path(f"{N}gatherings/new/", gatherings.new, name="gathering_new"),
    path(f"{N}gatherings/<id:pk>/", gatherings.detail, name="gathering"),
    path(f"{N}gatherings/<id:pk>/register/", gatherings.register, name="gathering_register"),
    path(f"{N}gatherings/<id:pk>/cancel/", gatherings.cancel, name="gathering_cancel"),
    path(f"{N}gatherings/<id:pk>/remind/", gatherings.remind, name="gathering_remind"),
    path(
        f"{N}gatherings/<id:pk>/cancel-gathering/",
        gatherings.cancel_gathering,
        name="gathering_cancel_all",
    ),
]

# groups (applying, organisers' decisions, lists, sign-ups) and primaries: docs/network.md
urlpatterns += [
    path(f"{N}groups/apply/", groups.apply, name="group_apply"),
    path(f"{N}groups/", groups.organise, name="organise"),
    path(f"{N}groups/<slug:group>/decide/", groups.decide, name="group_decide"),
    path(f"{N}groups/<slug:group>/settings/", groups.settings, name="group_settings"),
    path(f"{N}groups/<slug:group>/admins/", groups.add_admin, name="group_add_admin"),
    path(f"{N}groups/<slug:group>/members/", groups.members, name="group_members"),
    path(f"{N}groups/<slug:group>/members/<id:pk>/remove/", groups.remove, name="group_remove"),
    path(f"{N}groups/<slug:group>/import/", groups.import_list, name="group_import"),
    path(f"{N}groups/<slug:group>/join/", groups.join, name="group_join"),
    path(f"{N}join/<str:token>/", groups.join_confirm, name="join_confirm"),
    path(f"{N}primaries/", primaries.primary_list, name="primaries"),
    path(f"{N}primaries/new/", primaries.primary_new, name="primary_new"),
    path(f"{N}primaries/<id:pk>/", primaries.primary_detail, name="primary"),
    path(f"{N}primaries/<id:pk>/nominate/", primaries.nominate, name="primary_nominate"),
    path(f"{N}primaries/<id:pk>/back/", primaries.back, name="primary_back"),
    path(f"{N}primaries/<id:pk>/ask/", primaries.ask, name="primary_ask"),
    path(f"{N}primaries/<id:pk>/hustings/", primaries.hustings, name="primary_hustings"),
    path(
        f"{N}primaries/<id:pk>/hustings/meeting/",
        hustings_meeting.hold,
        name="primary_hustings_meeting",
    ),
    path(f"{N}primaries/<id:pk>/answer/<id:theme>/", primaries.answer, name="primary_answer"),
    path(f"{N}primaries/<id:pk>/vote/", primaries.vote, name="primary_vote"),
    path(f"{N}primaries/<id:pk>/invite/", roll_invitations.invite_roll, name="primary_invite"),
    path(f"{N}primaries/<id:pk>/<slug:name>/", primaries.step, name="primary_step"),
]

# the public JSON API (network/api_schema.py, part of /api/openapi.json)
urlpatterns += [
    path("api/networks/<slug:network>/groups", api.api_groups, name="api_groups"),
    path("api/networks/<slug:network>/primaries", api.api_primaries, name="api_primaries"),
    path("api/networks/<slug:network>/primaries/<id:pk>", api.api_primary, name="api_primary"),
]
