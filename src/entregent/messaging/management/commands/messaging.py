"""`entregent messaging tick`: messaging's every-minute upkeep; `entregent messaging daily`: its daily
cleaning (run both from cron or a systemd timer)."""

from django.core.management.base import BaseCommand, CommandParser

from entregent.messaging import tasks


class Command(BaseCommand):
    help = (
        "Every minute: bring back snoozed conversations whose time came, raise and mail the "
        "'no reply in N days' reminders due, and send the mails about messages left unread. Daily: remove "
        "attachment files no message holds (left by cancelled sends) and forget search words no message uses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["tick", "daily"])

    def handle(self, *args, job: str, **options) -> None:
        if job == "daily":
            from entregent.messaging import attachments, search

            self.stdout.write(f"Attachment files removed: {attachments.attachments_orphans_delete()}")
            self.stdout.write(f"Search words forgotten: {search.search_words_prune()}")
            return
        counts = tasks.tick()
        self.stdout.write(f"Snoozed conversations woken: {counts['snoozes_woken']}")
        self.stdout.write(f"Reminders due: {counts['reminders']} (mailed: {counts['reminders_mailed']})")
        self.stdout.write(f"Unread-message mails: {counts['unread_mails']}")
