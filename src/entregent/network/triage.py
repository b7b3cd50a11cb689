"""Triage rules: a member's own ordered rules that sort incoming invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from entregent.network.models import Invitation


def triage_on_arrival(invitation: Invitation) -> None:
    """Apply the recipient's rules to a new invitation (inside invitation_send's transaction)."""
