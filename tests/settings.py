"""Settings for the test suite: the shipped settings as the demo runs them (plain HTTP, the
development key), so the test client's http requests are served as they are in the demo.

Set in the environment, so that subprocesses the tests start inherit it. The production
settings are tested apart, in subprocesses with the documented production environment
(tests/web/test_production_settings.py).
"""

import os

os.environ.setdefault("GRASSROOTS_DEMO", "1")

from grassroots.site.settings import *  # noqa: F403

# Jobs run inline, inside the request or action that starts them (one test runs the real queue
# with a worker process: tests/jobs/test_worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("GRASSROOTS_TEST_TASKS") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if os.environ.get("GRASSROOTS_TEST_MAIL_DIR"):
    EMAIL_BACKEND = "tests.jobs.mailbox.EmailBackend"  # each message a file there
