"""`entregent trust daily`: the automatic restriction rule over every member who invited, or whose
invitations were answered, in the last two days, and every member with open reports (run it from cron
with `network daily`)."""

from django.core.management.base import BaseCommand, CommandParser

from entregent.trust import services


class Command(BaseCommand):
    help = "Daily upkeep of trust: review recent inviters and reported members with the automatic restriction rule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["daily", "review"])

    def handle(self, *args, job: str, **options) -> None:
        counts = services.review_recent()
        self.stdout.write(f"Members reviewed: {counts['reviewed']}")
        self.stdout.write(f"Members restricted: {counts['restricted']}")
        self.stdout.write(f"Restrictions ended in the last day: {services.restrictions_ended()}")
