"""Election pages, published files and the JSON API."""

from django.urls import path

import grassroots.members.urls  # noqa: F401  (registers the 'id' converter for record ids)
from grassroots.elections import views

app_name = "elections"

urlpatterns = [
    path("elections/", views.election_list, name="list"),
    path("elections/new/", views.election_new, name="new"),
    path("elections/<id:pk>/", views.election_detail, name="detail"),
    path("elections/<id:pk>/edit/", views.election_edit, name="edit"),
    path("elections/<id:pk>/candidates/add/", views.candidate_add, name="candidate_add"),
    path("elections/<id:pk>/nominate/", views.nominate, name="nominate"),
    path(
        "elections/<id:pk>/candidates/<id:cid>/consent/",
        views.candidate_consent,
        name="consent",
    ),
    path(
        "elections/<id:pk>/candidates/<id:cid>/photo.jpg",
        views.candidate_photo,
        name="photo",
    ),
    path("elections/<id:pk>/open/", views.open_voting, name="open"),
    path("elections/<id:pk>/close/", views.close_voting, name="close"),
    path("elections/<id:pk>/count/", views.count, name="count"),
    path("elections/<id:pk>/publish/", views.publish, name="publish"),
    path("elections/<id:pk>/announce/", views.announce, name="announce"),
    path("elections/<id:pk>/delete/", views.delete, name="delete"),
    path("elections/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("elections/<id:pk>/open-early/", views.open_early, name="open_early"),
    path("elections/<id:pk>/close-early/", views.close_early, name="close_early"),
    path(
        "elections/<id:pk>/candidates/<id:cid>/edit/",
        views.candidate_edit,
        name="candidate_edit",
    ),
    path(
        "elections/<id:pk>/candidates/<id:cid>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("elections/<id:pk>/remind/", views.remind, name="remind"),
    path("elections/<id:pk>/vote/", views.vote, name="vote"),
    path("elections/<id:pk>/receipt/", views.check_receipt, name="check"),
    path("elections/<id:pk>/receipt/email/", views.email_receipt, name="receipt_email"),
    path("elections/<id:pk>/results/", views.results, name="results"),
    path("elections/<id:pk>/files/<str:name>", views.published_file, name="file"),
    path("elections/<id:pk>/bundle.zip", views.bundle_zip, name="bundle"),
    path("api/elections", views.api_elections, name="api_list"),
    path("api/elections/<id:pk>", views.api_election, name="api_election"),
    path("api/elections/<id:pk>/receipt", views.api_receipt, name="api_receipt"),
    path("api/openapi.json", views.openapi, name="openapi"),
]
