"""Reads of trust: a member's risk level with its reasons, and whether they are restricted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from entregent.accounts.models import User

LOW, MEDIUM, HIGH = "low", "medium", "high"


@dataclass(frozen=True)
class Risk:
    level: str  # LOW, MEDIUM or HIGH
    score: int  # 0–100
    reasons: list[str] = field(default_factory=list)  # translated, plain words


def risk_of(member: User) -> Risk:
    return Risk(level=LOW, score=0)


def is_restricted(member_id: int) -> bool:
    return False


def restricted_member_ids() -> QuerySet:
    """A values("pk") queryset of the members currently restricted (to exclude their invitations)."""
    from entregent.accounts.models import User as UserModel

    return UserModel.objects.none().values("pk")
