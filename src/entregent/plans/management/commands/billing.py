"""`entregent billing renew` renews or expires subscriptions whose period ended; `entregent billing
notify-trials` mails members whose trial ends soon (once each); `entregent billing daily` does both. Run
`daily` once a day (cron, systemd timer); running it twice is harmless."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from entregent.plans import subscriptions


class Command(BaseCommand):
    help = "Renew or expire subscriptions whose period ended, and send trial-ending notices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["renew", "notify-trials", "daily"])

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action in ("renew", "daily"):
            counts = subscriptions.subscriptions_process_due()
            self.stdout.write(
                "Subscriptions: {renewed} renewed, {expired} ended (back to the default plan).".format(
                    **counts
                )
            )
        if action in ("notify-trials", "daily"):
            sent = subscriptions.trial_notices_send()
            self.stdout.write(f"Trial-ending notices: {sent} sent.")
