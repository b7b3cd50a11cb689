"""Messaging in other pages: the top bar's unread badge (one COUNT) and the Message button of a profile,
with its lock and reason when the viewer cannot write freely."""

from django import template

from entregent import plans
from entregent.core import policy
from entregent.messaging import selectors
from entregent.messaging.services import INMAIL_QUOTA

register = template.Library()


@register.simple_tag
def unread_conversations(user) -> int:
    return selectors.unread_conversations(user)


@register.simple_tag
def message_access(viewer, member):
    """How `viewer` may write to `member` (policy.MessageAccess), or None for oneself or a visitor."""
    if not getattr(viewer, "is_authenticated", False) or member is None or viewer.pk == member.pk:
        return None
    return policy.message_access(viewer, member)


@register.simple_tag
def inmail_credits(member):
    return plans.remaining(member, INMAIL_QUOTA)
