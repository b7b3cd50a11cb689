"""`entregent network daily`: the network's daily upkeep (run it from cron with `billing daily`)."""

from django.core.management.base import BaseCommand, CommandParser

from entregent.network import introductions, services


class Command(BaseCommand):
    help = (
        "Daily upkeep of the network: expire invitations left open for six months and remind senders of "
        "invitations with a note still pending after 7 days; expire introductions left 30 days unanswered."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "job", choices=["daily", "expire-invitations", "remind-invitations", "expire-introductions"]
        )

    def handle(self, *args, job: str, **options) -> None:
        if job in ("daily", "expire-invitations"):
            expired = services.invitations_expire()
            self.stdout.write(f"Invitations expired: {expired}")
        if job in ("daily", "remind-invitations"):
            reminded = services.invitations_remind()
            self.stdout.write(f"Invitation reminders sent: {reminded}")
        if job in ("daily", "expire-introductions"):
            expired = introductions.introductions_expire()
            self.stdout.write(f"Introductions expired: {expired}")
