"""Member register URLs."""

from django.urls import path, register_converter

from grassroots.members import views
from grassroots.members.identifiers import AnyIdentifierConverter, RowIdConverter

# membership numbers and unit codes: any stored value makes an address (see identifiers.py)
register_converter(AnyIdentifierConverter, "ident")
# record ids: a number too long for any id is "not found", never a database overflow
register_converter(RowIdConverter, "id")

app_name = "members"

urlpatterns = [
    path("me/", views.my_standing, name="standing"),
    path("units/", views.unit_list, name="units"),
    path("units/<ident:code>/", views.register, name="register"),
    path("units/<ident:code>/tree/", views.unit_tree, name="unit_tree"),
    path("units/<ident:code>/units/new/", views.unit_new, name="unit_new"),
    path("units/<ident:code>/rename/", views.unit_edit, name="unit_edit"),
    path("units/<ident:code>/members/new/", views.member_new, name="member_new"),
    path("units/<ident:code>/import/", views.import_register, name="import"),
    path("units/<ident:code>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("units/<ident:code>/import/cancel/", views.import_cancel, name="import_cancel"),
    path(
        "units/<ident:code>/import/checks/<id:pk>/confirm/",
        views.check_confirm,
        name="import_check_confirm",
    ),
    path(
        "units/<ident:code>/import/checks/<id:pk>/cancel/",
        views.check_cancel,
        name="import_check_cancel",
    ),
    path("units/<ident:code>/import/waiting/", views.import_waiting, name="import_waiting"),
    path("units/<ident:code>/export.csv", views.export_register, name="export"),
    path("units/<ident:code>/delegates/", views.delegates, name="delegates"),
    path("units/<ident:code>/affiliation/", views.affiliation_record, name="affiliation"),
    path("members/<ident:number>/", views.member_detail, name="member"),
    path("members/<ident:number>/status/", views.member_status, name="member_status"),
    path("members/<ident:number>/payment/", views.member_payment, name="member_payment"),
    path("units/<ident:code>/occasions/new/", views.occasion_new, name="occasion_new"),
    path("units/<ident:code>/roles/", views.roles, name="roles"),
    path("occasions/<id:pk>/", views.occasion_detail, name="occasion"),
    path("occasions/<id:pk>/close/", views.occasion_close, name="occasion_close"),
]
