"""WSGI entry point (``gunicorn grassroots.site.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
application = get_wsgi_application()
