"""The elections app's configuration."""

from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "grassroots.elections"
    label = "elections"
    verbose_name = "Elections"
    default_auto_field = "django.db.models.BigAutoField"
