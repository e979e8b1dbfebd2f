"""Meeting pages: a unit's record and calendar, one meeting, its agenda and papers."""

from django.urls import path

import grassroots.members.urls  # noqa: F401  (registers the 'ident' and 'id' converters)
from grassroots.meetings import api, views

app_name = "meetings"

urlpatterns = [
    path("units/<ident:code>/meetings/", views.unit_meetings, name="unit"),
    path("units/<ident:code>/meetings.ics", views.unit_calendar, name="unit_calendar"),
    path("units/<ident:code>/meetings/new/", views.meeting_new, name="new"),
    path("meetings/<id:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<id:pk>/meeting.ics", views.meeting_calendar, name="calendar"),
    path("meetings/<id:pk>/items/add/", views.item_add, name="item_add"),
    path("meetings/<id:pk>/papers/add/", views.paper_add, name="paper_add"),
    path("meetings/<id:pk>/papers/<id:paper>/", views.paper_file, name="paper"),
    path("meetings/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("meetings/<id:pk>/door/", views.door, name="door"),
    path("meetings/<id:pk>/door/check-in/", views.door_check_in, name="door_check_in"),
    path("meetings/<id:pk>/door/visitor/", views.door_visitor, name="door_visitor"),
    path("meetings/<id:pk>/live/", views.live, name="live"),
    path("meetings/<id:pk>/live/panel/", views.live_panel, name="live_panel"),
    path("meetings/<id:pk>/live/check-in/", views.check_in_online, name="check_in_online"),
    path("meetings/<id:pk>/live/leave/", views.leave, name="leave"),
    path("meetings/<id:pk>/live/chair/", views.chair, name="chair"),
    path("meetings/<id:pk>/votes/<id:vote>/cast/", views.cast, name="cast"),
    path("meetings/<id:pk>/motions/new/", views.motion_new, name="motion_new"),
    path("meetings/<id:pk>/motions/<id:motion>/amend/", views.motion_amend, name="motion_amend"),
    path(
        "meetings/<id:pk>/motions/<id:motion>/support/",
        views.motion_support,
        name="motion_support",
    ),
    path(
        "meetings/<id:pk>/motions/<id:motion>/second/",
        views.motion_second,
        name="motion_second",
    ),
    path("meetings/<id:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<id:pk>/live/speak/", views.speak, name="speak"),
    path("units/<ident:code>/motions/", views.branch_motions, name="branch_motions"),
    path("units/<ident:code>/motions/send/", views.branch_motion_send, name="branch_motion_send"),
    path("units/<ident:code>/requisitions/new/", views.requisition_new, name="requisition_new"),
    path("requisitions/<id:pk>/", views.requisition_detail, name="requisition"),
    path("requisitions/<id:pk>/sign/", views.requisition_sign, name="requisition_sign"),
    path("requisitions/<id:pk>/withdraw/", views.requisition_withdraw, name="requisition_withdraw"),
    path("requisitions/<id:pk>/branch/", views.requisition_branch_sign, name="requisition_branch"),
    path("requisitions/<id:pk>/call/", views.requisition_call, name="requisition_call"),
    path("units/<ident:code>/decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<id:pk>/", views.decision_detail, name="decision"),
    path("api/units/<ident:code>/meetings", api.api_unit_meetings, name="api_unit"),
    path("api/meetings/<id:pk>", api.api_meeting, name="api_meeting"),
    path("api/requisitions/<id:pk>", api.api_requisition, name="api_requisition"),
    path("api/decisions/<id:pk>", api.api_decision, name="api_decision"),
]
