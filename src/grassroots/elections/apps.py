"""The elections app's configuration."""

from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "grassroots.elections"
    label = "elections"
    verbose_name = "Elections"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # a member's standing page lists the elections they may (or may not) vote in
        from grassroots.elections.standing import section
        from grassroots.members.sections import register

        register(section)
