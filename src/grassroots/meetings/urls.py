"""Meeting pages: a unit's record and calendar, one meeting, its agenda and papers."""

from django.urls import path

import grassroots.members.urls  # noqa: F401  (registers the 'ident' converter for unit codes)
from grassroots.meetings import api, views

app_name = "meetings"

urlpatterns = [
    path("units/<ident:code>/meetings/", views.unit_meetings, name="unit"),
    path("units/<ident:code>/meetings.ics", views.unit_calendar, name="unit_calendar"),
    path("units/<ident:code>/meetings/new/", views.meeting_new, name="new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_calendar, name="calendar"),
    path("meetings/<int:pk>/items/add/", views.item_add, name="item_add"),
    path("meetings/<int:pk>/papers/add/", views.paper_add, name="paper_add"),
    path("meetings/<int:pk>/papers/<int:paper>/", views.paper_file, name="paper"),
    path("meetings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("meetings/<int:pk>/door/", views.door, name="door"),
    path("meetings/<int:pk>/door/check-in/", views.door_check_in, name="door_check_in"),
    path("meetings/<int:pk>/door/visitor/", views.door_visitor, name="door_visitor"),
    path("meetings/<int:pk>/live/", views.live, name="live"),
    path("meetings/<int:pk>/live/panel/", views.live_panel, name="live_panel"),
    path("meetings/<int:pk>/live/check-in/", views.check_in_online, name="check_in_online"),
    path("meetings/<int:pk>/live/leave/", views.leave, name="leave"),
    path("meetings/<int:pk>/live/chair/", views.chair, name="chair"),
    path("meetings/<int:pk>/votes/<int:vote>/cast/", views.cast, name="cast"),
    path("meetings/<int:pk>/motions/new/", views.motion_new, name="motion_new"),
    path("meetings/<int:pk>/motions/<int:motion>/amend/", views.motion_amend, name="motion_amend"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/live/speak/", views.speak, name="speak"),
    path("units/<ident:code>/requisitions/new/", views.requisition_new, name="requisition_new"),
    path("requisitions/<int:pk>/", views.requisition_detail, name="requisition"),
    path("requisitions/<int:pk>/sign/", views.requisition_sign, name="requisition_sign"),
    path(
        "requisitions/<int:pk>/withdraw/", views.requisition_withdraw, name="requisition_withdraw"
    ),
    path("requisitions/<int:pk>/branch/", views.requisition_branch_sign, name="requisition_branch"),
    path("requisitions/<int:pk>/call/", views.requisition_call, name="requisition_call"),
    path("units/<ident:code>/decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("api/units/<ident:code>/meetings", api.api_unit_meetings, name="api_unit"),
    path("api/meetings/<int:pk>", api.api_meeting, name="api_meeting"),
    path("api/requisitions/<int:pk>", api.api_requisition, name="api_requisition"),
    path("api/decisions/<int:pk>", api.api_decision, name="api_decision"),
]
