from django.urls import URLPattern, URLResolver

import grassroots.members.urls  # noqa: F401  (registers the 'id' and 'ident' converters)

app_name = "network"
urlpatterns: list[URLPattern | URLResolver] = []
