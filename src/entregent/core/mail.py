"""The default mail backend: each message is written as an .eml file in the data directory, so a
demo (or a small instance without SMTP) keeps every mail and can show it at /outbox/."""

from __future__ import annotations

import email
import email.policy
import email.utils
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        directory = Path(settings.EMAIL_OUTBOX_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
        return len(email_messages)


@dataclass(frozen=True)
class OutboxMail:
    name: str
    subject: str
    sender: str
    to: str
    date: datetime | None
    body: str


def outbox_list(limit: int = 50) -> list[OutboxMail]:
    """The newest mails of the outbox, newest first."""
    directory = Path(settings.EMAIL_OUTBOX_DIR)
    if not directory.exists():
        return []
    mails = []
    for path in sorted(directory.glob("*.eml"), reverse=True)[:limit]:
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        part = parsed.get_body(preferencelist=("plain", "html"))
        try:
            date = email.utils.parsedate_to_datetime(str(parsed["date"]))
        except (TypeError, ValueError):
            date = None
        mails.append(
            OutboxMail(
                name=path.stem,
                subject=str(parsed["subject"] or ""),
                sender=str(parsed["from"] or ""),
                to=str(parsed["to"] or ""),
                date=date,
                body=part.get_content() if part else "",
            )
        )
    return mails
