"""`{% trial_banner %}`: "Your Career trial ends on <date>" at the top of every page for a member on a trial,
more prominent in its last days (the trial's warning period). Computed in a tag, not a context processor, so
pages that do not show it pay nothing and no setting is needed."""

from django import template

from entregent.plans import selectors

register = template.Library()


@register.inclusion_tag("plans/_trial_banner.html", takes_context=True)
def trial_banner(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "plans:my_plan":
        return {"banner": None}  # the page says it in full
    banner = selectors.trial_banner_for(user) if user is not None else None
    return {"banner": banner}
