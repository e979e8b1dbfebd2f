"""The network's tasks on the job queue: relaying a contact-form message to a group, and
reminding a gathering's registered people. Each carries one id; the work is the actions'."""

from __future__ import annotations

from django_tasks import task


@task()
def relay_message(message_id: int) -> None:
    from grassroots.network.actions.contact import deliver_message

    deliver_message(message_id)


@task()
def remind_gathering(gathering_id: int) -> None:
    from grassroots.network.actions.gatherings import deliver_reminders

    deliver_reminders(gathering_id)
