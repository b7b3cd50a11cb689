"""Text filters shared by every app's templates."""

from django import template

from entregent.core.text import join_reasons

register = template.Library()


@register.filter
def reasons(texts) -> str:
    """`{{ risk.reasons|reasons }}`: a list of reasons as one phrase, with the translated separator."""
    return join_reasons(texts)
