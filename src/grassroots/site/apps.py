"""The site app: base templates, static files and the home page."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "grassroots.site"
    label = "grassroots_site"
    verbose_name = "grassroots site"
