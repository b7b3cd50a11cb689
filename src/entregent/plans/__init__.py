"""What a member may do, and how much: the one place every limited or paid feature asks.

    from entregent import plans
    plans.has(member, "inmail.send")                  -> bool
    plans.limit(member, "invitations.weekly")         -> int | None (None: unlimited)
    plans.remaining(member, "invitations.weekly")     -> int | None
    plans.consume(member, "invitations.weekly", n=1)  -> raises plans.QuotaExceeded

The answers combine the member's plan (or trial), account age, profile completeness and region, as
configured by the operator; see `engine.py`. These wrappers import lazily so that any module can
`from entregent import plans` at import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from entregent.accounts.models import User


class QuotaExceeded(Exception):  # noqa: N818 - the name says what happened, as in STYLE.md
    """A quota is spent. `resets_at` says when it comes back (None: it does not reset by itself);
    `unlock` says, in the member's language, what would raise the limit."""

    def __init__(self, message: str, *, quota: str, resets_at=None, unlock: list[str] | None = None) -> None:
        super().__init__(message)
        self.quota = quota
        self.resets_at = resets_at
        self.unlock = unlock or []


def has(member: User, feature: str) -> bool:
    from entregent.plans import engine

    return engine.has(member, feature)


def limit(member: User, quota: str) -> int | None:
    from entregent.plans import engine

    return engine.limit(member, quota)


def remaining(member: User, quota: str) -> int | None:
    from entregent.plans import engine

    return engine.remaining(member, quota)


def consume(member: User, quota: str, n: int = 1) -> None:
    from entregent.plans import engine

    engine.consume(member, quota, n)
