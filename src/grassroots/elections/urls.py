"""Election pages, published files and the JSON API."""

from django.urls import path

from grassroots.elections import views

app_name = "elections"

urlpatterns = [
    path("elections/", views.election_list, name="list"),
    path("elections/new/", views.election_new, name="new"),
    path("elections/<int:pk>/", views.election_detail, name="detail"),
    path("elections/<int:pk>/edit/", views.election_edit, name="edit"),
    path("elections/<int:pk>/candidates/add/", views.candidate_add, name="candidate_add"),
    path("elections/<int:pk>/nominate/", views.nominate, name="nominate"),
    path(
        "elections/<int:pk>/candidates/<int:cid>/consent/",
        views.candidate_consent,
        name="consent",
    ),
    path(
        "elections/<int:pk>/candidates/<int:cid>/photo.jpg",
        views.candidate_photo,
        name="photo",
    ),
    path("elections/<int:pk>/open/", views.open_voting, name="open"),
    path("elections/<int:pk>/close/", views.close_voting, name="close"),
    path("elections/<int:pk>/count/", views.count, name="count"),
    path("elections/<int:pk>/publish/", views.publish, name="publish"),
    path("elections/<int:pk>/announce/", views.announce, name="announce"),
    path("elections/<int:pk>/delete/", views.delete, name="delete"),
    path("elections/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("elections/<int:pk>/open-early/", views.open_early, name="open_early"),
    path("elections/<int:pk>/close-early/", views.close_early, name="close_early"),
    path(
        "elections/<int:pk>/candidates/<int:cid>/edit/",
        views.candidate_edit,
        name="candidate_edit",
    ),
    path(
        "elections/<int:pk>/candidates/<int:cid>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("elections/<int:pk>/remind/", views.remind, name="remind"),
    path("elections/<int:pk>/vote/", views.vote, name="vote"),
    path("elections/<int:pk>/receipt/", views.check_receipt, name="check"),
    path("elections/<int:pk>/receipt/email/", views.email_receipt, name="receipt_email"),
    path("elections/<int:pk>/results/", views.results, name="results"),
    path("elections/<int:pk>/files/<str:name>", views.published_file, name="file"),
    path("elections/<int:pk>/bundle.zip", views.bundle_zip, name="bundle"),
    path("api/elections", views.api_elections, name="api_list"),
    path("api/elections/<int:pk>", views.api_election, name="api_election"),
    path("api/elections/<int:pk>/receipt", views.api_receipt, name="api_receipt"),
    path("api/openapi.json", views.openapi, name="openapi"),
]
