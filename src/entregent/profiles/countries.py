"""Countries as ISO 3166-1 alpha-2 codes, named in the member's language by Babel's CLDR data."""

from __future__ import annotations

from functools import cache

from babel import Locale
from django.utils.translation import get_language

_EXCLUDED = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@cache
def _names(language: str) -> dict[str, str]:
    locale = Locale.parse((language or "en").split("-")[0])
    return {
        code: name
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in _EXCLUDED
    }


COUNTRY_CODES = frozenset(_names("en"))


def country_name(code: str) -> str:
    return _names(get_language() or "en").get(code, code)


def country_choices() -> list[tuple[str, str]]:
    names = _names(get_language() or "en")
    return sorted(names.items(), key=lambda item: item[1])
