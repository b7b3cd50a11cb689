"""Reads for subscriptions and receipts, always scoped to one member (another member's row is simply not
found: a 404, never a leak)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from entregent.plans.models import Receipt, Subscription

if TYPE_CHECKING:
    from entregent.accounts.models import User


def subscriptions_of(member: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(member_id=member.pk).select_related("plan", "scheduled_plan")


def subscription_in_effect_for(member: User) -> Subscription | None:
    """The subscription whose plan the member holds now (active, or cancelled and running to its end)."""
    return subscriptions_of(member).filter(status__in=Subscription.IN_EFFECT).first()


def subscription_pending_for(member: User) -> Subscription | None:
    return subscriptions_of(member).filter(status=Subscription.PENDING).first()


def receipts_of(member: User) -> QuerySet[Receipt]:
    return Receipt.objects.filter(member_id=member.pk)


def receipt_for(member: User, number: int) -> Receipt | None:
    return receipts_of(member).filter(number=number).first()
