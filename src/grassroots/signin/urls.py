"""Sign-in URLs: under /accounts/ beside allauth's own (login, code, two-factor pages)."""

from django.urls import path

from grassroots.members import urls as _members_urls  # registers the "ident" and "id" converters
from grassroots.signin import views

urlpatterns = [
    path("accounts/invitation/<str:token>/", views.invitation, name="signin_invitation"),
    path("accounts/link/", views.request_link, name="signin_request_link"),
    path("units/<ident:code>/invite/", views.invite_unit, name="signin_invite_unit"),
    path("elections/<id:pk>/invite/", views.invite_election, name="signin_invite_election"),
]

_ = _members_urls
