"""The meetings app's configuration."""

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "grassroots.meetings"
    label = "meetings"
    verbose_name = "Meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # a member's standing page lists the meetings they may (or may not) attend
        from grassroots.meetings.standing import missed_section, section
        from grassroots.members.sections import register

        register(section)
        register(missed_section)

        # the live page's state version moves with every change it shows
        from grassroots.meetings.live import connect

        connect()
