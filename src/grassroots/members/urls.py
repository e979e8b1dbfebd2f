"""Member register URLs."""

from django.urls import path

from grassroots.members import views

app_name = "members"

urlpatterns = [
    path("me/", views.my_standing, name="standing"),
    path("units/", views.unit_list, name="units"),
    path("units/<slug:code>/", views.register, name="register"),
    path("units/<slug:code>/tree/", views.unit_tree, name="unit_tree"),
    path("units/<slug:code>/units/new/", views.unit_new, name="unit_new"),
    path("units/<slug:code>/rename/", views.unit_edit, name="unit_edit"),
    path("units/<slug:code>/members/new/", views.member_new, name="member_new"),
    path("units/<slug:code>/import/", views.import_register, name="import"),
    path("units/<slug:code>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("units/<slug:code>/export.csv", views.export_register, name="export"),
    path("units/<slug:code>/delegates/", views.delegates, name="delegates"),
    path("members/<str:number>/", views.member_detail, name="member"),
    path("members/<str:number>/status/", views.member_status, name="member_status"),
    path("members/<str:number>/payment/", views.member_payment, name="member_payment"),
    path("units/<slug:code>/occasions/new/", views.occasion_new, name="occasion_new"),
    path("units/<slug:code>/roles/", views.roles, name="roles"),
    path("occasions/<int:pk>/", views.occasion_detail, name="occasion"),
    path("occasions/<int:pk>/close/", views.occasion_close, name="occasion_close"),
]
