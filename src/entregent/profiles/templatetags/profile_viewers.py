"""`{% viewers_link user %}`: "12 profile views in the last 90 days", linking to the viewers page,
for the member's own profile page and home card (one COUNT query)."""

from django import template

from entregent.profiles import selectors

register = template.Library()


@register.inclusion_tag("profiles/_viewers_link.html")
def viewers_link(member) -> dict:
    days = selectors.RECENT_VIEWS_DAYS
    return {"count": selectors.profile_visit_count(member, days=days), "days": days}
