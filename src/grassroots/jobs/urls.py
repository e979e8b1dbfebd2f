from django.urls import path

import grassroots.members.urls  # noqa: F401  (registers the 'id' converter for record ids)
from grassroots.jobs import views

app_name = "jobs"
urlpatterns = [
    path("jobs/", views.mine, name="mine"),
    path("jobs/<id:pk>/", views.detail, name="detail"),
    path("jobs/<id:pk>/retry/", views.retry, name="retry"),
]
