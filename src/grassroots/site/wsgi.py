"""WSGI entry point (``gunicorn grassroots.site.wsgi``): refuses to start without a secret key."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
application = get_wsgi_application()

from grassroots.site.checks import refuse_unsafe_start  # noqa: E402  (needs Django set up)

refuse_unsafe_start()
