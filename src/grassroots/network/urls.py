from django.urls import URLPattern, URLResolver, path

import grassroots.members.urls  # noqa: F401  (registers the 'id' and 'ident' converters)
from grassroots.network.views import directory, gatherings, hub, mydata

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
]
