"""Daily billing work as django-tasks tasks (the `entregent billing daily` command runs the same services
directly, for cron or a systemd timer): renew or expire subscriptions whose period ended, and send the
trial-ending notices."""

from __future__ import annotations

from django_tasks import task

from entregent.plans import subscriptions


@task()
def process_due_subscriptions() -> dict[str, int]:
    return subscriptions.subscriptions_process_due()


@task()
def send_trial_notices() -> int:
    return subscriptions.trial_notices_send()
