"""`entregent network daily`: the network's daily upkeep (run it from cron with `billing daily`)."""

from django.core.management.base import BaseCommand, CommandParser

from entregent.network import services


class Command(BaseCommand):
    help = "Daily upkeep of the network: expire invitations left open for six months."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["daily", "expire-invitations"])

    def handle(self, *args, job: str, **options) -> None:
        expired = services.invitations_expire()
        self.stdout.write(f"Invitations expired: {expired}")
