"""The top bar's My network item and its badge: invitations waiting for the member (one COUNT)."""

from django import template

from entregent.network import selectors

register = template.Library()


@register.simple_tag
def invitations_waiting(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return selectors.invitations_received(user, box="inbox").count()
