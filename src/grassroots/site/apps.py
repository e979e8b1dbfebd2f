"""The site app: base templates, static files, the home page and the start-up checks."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "grassroots.site"
    label = "grassroots_site"
    verbose_name = "grassroots site"

    def ready(self) -> None:
        from grassroots.site import checks  # noqa: F401  (registers the system checks)
