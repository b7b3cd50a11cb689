"""`{% restriction_notice %}` (used by `trust/_notice.html`): "Your account is restricted until <date>: <why>"
at the top of every page while the member is restricted. A tag rather than a context processor, so pages
that do not show it pay nothing; one query per request for a signed-in member, none for visitors."""

from django import template

from entregent.trust import selectors

register = template.Library()

_UNSET = object()


@register.inclusion_tag("trust/_restriction_notice.html", takes_context=True)
def restriction_notice(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"restriction": None}
    restriction = getattr(request, "_trust_restriction", _UNSET)
    if restriction is _UNSET:
        restriction = selectors.restriction_of(user.pk)
        request._trust_restriction = restriction
    return {"restriction": restriction}
