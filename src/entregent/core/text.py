"""Text helpers shared by every app: accent folding for search, and the safe Markdown-lite renderer
for what members write (markdown-it-py in its js-default preset, then nh3 as the last word)."""

from __future__ import annotations

import unicodedata

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("js-default", {"linkify": False, "breaks": True}).disable(["image", "table"])
_ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote"}


def fold(text: str) -> str:
    """Lower case without accents: 'Élodie Müller' -> 'elodie muller'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def render_markdown(text: str) -> SafeString:
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def join_reasons(texts) -> str:
    """Reasons in one phrase, in the reader's language ("no photo; account created 2 days ago"): the
    separator is translated (French puts a no-break space before the semicolon)."""
    from django.utils.translation import gettext

    texts = [str(text) for text in texts if text]
    if not texts:
        return ""
    phrase = texts[0]
    for text in texts[1:]:
        # Translators: joins reasons ("2 mutual connections; you both work at Acme", "no photo; new account").
        phrase = gettext("%(reasons)s; %(reason)s") % {"reasons": phrase, "reason": text}
    return phrase
