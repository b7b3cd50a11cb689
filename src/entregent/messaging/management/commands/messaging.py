"""`entregent messaging tick`: messaging's every-minute upkeep (run it from cron or a systemd timer)."""

from django.core.management.base import BaseCommand, CommandParser

from entregent.messaging import tasks


class Command(BaseCommand):
    help = (
        "Every minute: bring back snoozed conversations whose time came, raise and mail the "
        "'no reply in N days' reminders due, and send the mails about messages left unread."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["tick"])

    def handle(self, *args, job: str, **options) -> None:
        counts = tasks.tick()
        self.stdout.write(f"Snoozed conversations woken: {counts['snoozes_woken']}")
        self.stdout.write(f"Reminders due: {counts['reminders']} (mailed: {counts['reminders_mailed']})")
        self.stdout.write(f"Unread-message mails: {counts['unread_mails']}")
