"""Root URLs: the home page, Django's auth views (login, logout, password reset), the apps."""

from django.urls import include, path

from grassroots.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("audit/", include("grassroots.audit.urls")),
    path("", include("grassroots.members.urls")),
    path("", include("grassroots.elections.urls")),
    path("", include("grassroots.meetings.urls")),
]

handler403 = views.forbidden
handler404 = views.not_found
