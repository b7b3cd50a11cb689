from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from entregent.core import policy
from entregent.core.text import render_markdown
from entregent.profiles.countries import country_name as _country_name
from entregent.profiles.sections import SECTIONS

register = template.Library()


@register.filter
def and_not(a, b) -> bool:
    return bool(a) and not b


@register.filter
def country_name(code: str) -> str:
    return _country_name(code) if code else ""


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.filter
def month_year(month: int | None, year: int | None) -> str:
    if not year:
        return ""
    if not month:
        return str(year)
    return formats.date_format(dt.date(year, month, 1), "YEAR_MONTH_FORMAT")


def _months_between(start: tuple[int, int], end: tuple[int, int]) -> int:
    return (end[0] - start[0]) * 12 + end[1] - start[1] + 1


def duration_text(months: int) -> str:
    years, rest = divmod(max(months, 1), 12)
    parts = []
    if years:
        parts.append(_("%(n)d yr") % {"n": years} if years == 1 else _("%(n)d yrs") % {"n": years})
    if rest:
        parts.append(_("%(n)d mo") % {"n": rest} if rest == 1 else _("%(n)d mos") % {"n": rest})
    return " ".join(parts)


@register.simple_tag
def period(start_month, start_year, end_month, end_year, current) -> str:
    """'Jan 2020 – Present · 4 yrs 11 mos', the way members expect a position's dates."""
    if not start_year:
        return ""
    start = month_year(start_month, start_year)
    today = timezone.localdate()  # the site's time zone, as the model's date checks use
    if current or not end_year:
        end_text = _("Present")
        end = (today.year, today.month)
    else:
        end_text = month_year(end_month, end_year)
        end = (end_year, end_month or 12)
    length = duration_text(_months_between((start_year, start_month or 1), end))
    return f"{start} – {end_text} · {length}"


@register.simple_tag
def section_spec(name: str):
    return SECTIONS[name]


@register.simple_tag
def open_to_items(profile, relation) -> list[str]:
    items = []
    if policy.can_see_open_to_work(relation, profile):
        if profile.open_to_work_titles:
            label = _("Open to work: %(titles)s") % {"titles": profile.open_to_work_titles}
        else:
            label = _("Open to work")
        if profile.open_to_work == "recruiters":
            label += " " + _("(visible to recruiters only)")
        items.append(label)
    if profile.open_to_hiring:
        items.append(_("Hiring"))
    if profile.open_to_mentoring:
        items.append(_("Open to mentoring"))
    if profile.open_to_business:
        items.append(_("Open to business partnerships"))
    return items
