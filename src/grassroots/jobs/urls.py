from django.urls import path

from grassroots.jobs import views

app_name = "jobs"
urlpatterns = [
    path("jobs/", views.mine, name="mine"),
    path("jobs/<int:pk>/", views.detail, name="detail"),
    path("jobs/<int:pk>/retry/", views.retry, name="retry"),
]
