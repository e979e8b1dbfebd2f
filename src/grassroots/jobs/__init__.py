"""Long work off the request: mail-outs and imports run as jobs on the task queue.

A ``Job`` row is what people see (who started it, what, progress, outcome, errors); the queue
(django-tasks, its database backend in production, inline in the tests) only carries the job's
id to a worker. See docs/architecture.md, "Jobs".
"""
