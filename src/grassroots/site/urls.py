"""Root URLs: the home page, signing in (allauth's login, login by code and two-factor pages
first, so ``/accounts/login/`` and ``/accounts/logout/`` are allauth's under Django's names
``login`` and ``logout``; Django's password reset), the apps."""

from django.urls import include, path

from grassroots.site import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("grassroots.signin.urls")),
    path("accounts/", include("allauth.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("audit/", include("grassroots.audit.urls")),
    path("", include("grassroots.members.urls")),
    path("", include("grassroots.elections.urls")),
    path("", include("grassroots.meetings.urls")),
    path("", include("grassroots.finance.urls")),
    path("", include("grassroots.network.urls")),
    path("", include("grassroots.jobs.urls")),
]

handler403 = views.forbidden
handler404 = views.not_found
