"""Full-text search across one member's conversations: accent-insensitive (everything is compared in
`core.text.fold` form, which `Message.search_text` already holds), tolerant of one typo per word, with
highlighted snippets, and never outside the member's own conversations.

What matches. The query is cut into words (letters and digits; punctuation separates words). A message
matches when every word matches one of its words:
- exactly (score 1), or as the beginning of a word for words of 3 characters or more ("helen" finds
  "Hélène", score 0.8); words of 1 or 2 characters only match whole words ("rh", "ok");
- with one typo — one letter wrong, missing, extra, or two letters swapped ("devsi" finds "devis",
  score 0.5) — for words of 4 letters or more (typos in numbers are not typos).
Hits are ranked by how well the words matched (80 %) and by age (20 %, halving every 30 days), the
newest first among equals. Each query ranks at most the `CANDIDATES` newest matching messages.

Where. The conversations where the member is a participant and which they did not hide (a block
hides them); in a group they left, only the messages up to when they left — what was said after is
not theirs to read. Deleted messages (their `search_text` is emptied) never match.

How, per database (indexes created by migration 0002_search):
- SQLite: a contentless FTS5 table `messaging_message_fts` (`unicode61 remove_diacritics 2`, word
  tokens) over each message's conversation id and `search_text`, kept in step by triggers on
  `messaging_message`. One MATCH answers the whole query, restricted to the member's conversations
  by the conversation column: `conversation_id:(12 OR 57 …) AND search_text:("devsi"* OR "devis" OR
  …)` — a word's possible typos are spelled out (about 300 for a 5-letter word) and looked up as
  whole tokens, which costs a few milliseconds. (A trigram table was measured too: 6× larger at
  1M messages, and 10–40× slower on the same typo expansion; it also cannot tell where words begin.)
- PostgreSQL: a pg_trgm GIN index on `search_text`, used by word-anchored regular expressions
  (`(?<![[:alnum:]])helene`), ANDed by the planner with the conversation index; typos come from the
  table `messaging_search_word` (every distinct word of 3+ letters ever written, kept by a trigger),
  where the spelled-out typos are looked up by primary key, so the regular expression only names
  words that exist. (`word_similarity`/`%>` on the messages themselves was measured at 130–800 ms
  for 100–1,000 conversations of 100 messages: the recheck of common trigrams dominates.)
- Other databases: exact words and prefixes only, through a plain scan of the member's messages.
Both indexed backends then score the candidates in Python with the same rules, so SQLite and
PostgreSQL answer alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from entregent.core.text import fold
from entregent.messaging.models import Message, Participant

if TYPE_CHECKING:
    from entregent.accounts.models import User

MAX_QUERY = 200  # characters of the query looked at
MAX_TERMS = 8  # words of the query used
PREFIX_MIN = 3  # shorter words match whole words only
FUZZY_MIN = 4  # shorter words must be spelled right
CANDIDATES = 2000  # the newest matching messages ranked per query
SNIPPET_CHARS = 180
RECENCY_HALF_LIFE_DAYS = 30
FTS_TABLE = "messaging_message_fts"
WORDS_TABLE = "messaging_search_word"

_WORD = re.compile(r"[^\W_]+")
_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class SearchHit:
    message: Message
    conversation_id: int
    snippet: SafeString  # the message's text around the first match, escaped, matches in <mark>
    score: float


@dataclass(frozen=True)
class Term:
    text: str
    typos: frozenset[str]  # the whole words one typo away (those found in the index, once looked up)

    @property
    def prefix(self) -> bool:
        return len(self.text) >= PREFIX_MIN

    def quality(self, words: set[str]) -> float:
        """How well this query word matches a message whose words are `words` (0: not at all)."""
        if self.text in words:
            return 1.0
        if self.prefix and any(word.startswith(self.text) for word in words):
            return 0.8
        if self.typos and not self.typos.isdisjoint(words):
            return 0.5
        return 0.0

    def matches_word(self, word: str) -> bool:
        return (
            word == self.text
            or (self.prefix and word.startswith(self.text))
            or (bool(self.typos) and word in self.typos)
        )


# --------------------------------------------------------------------------------------- the query


def terms_of(query: str) -> list[str]:
    """The query's words in folded form (lower case, no accents), each once, in order. A query
    without a letter or digit is refused with a message ready to show."""
    query = (query or "").strip()
    if not query:
        raise ValidationError({"q": [_("Type a word to look for in your messages.")]}, code="empty")
    terms = list(dict.fromkeys(_WORD.findall(fold(query[:MAX_QUERY]))))
    if not terms:
        raise ValidationError(
            {
                "q": [
                    _("Search for words or numbers: “%(query)s” has no letter or digit in it.")
                    % {"query": query[:40]}
                ]
            },
            code="no_words",
        )
    return terms[:MAX_TERMS]


@functools.lru_cache(maxsize=512)
def typo_variants(term: str) -> frozenset[str]:
    """Every word one typo away from `term` — one letter wrong, missing or extra, or two neighbours
    swapped — that `term` is not already a prefix of (the prefix match finds those)."""
    if len(term) < FUZZY_MIN or not term.isalpha():
        return frozenset()
    letters = sorted(_ALPHABET | set(term))
    out: set[str] = set()
    for p in range(len(term)):
        out.add(term[:p] + term[p + 1 :])
        out.update(term[:p] + c + term[p + 1 :] for c in letters)
    for p in range(len(term) + 1):
        out.update(term[:p] + c + term[p:] for c in letters)
    for p in range(len(term) - 1):
        out.add(term[:p] + term[p + 1] + term[p] + term[p + 2 :])
    return frozenset(v for v in out if len(v) >= FUZZY_MIN - 1 and not v.startswith(term))


# ---------------------------------------------------------------------------------------- searching


def search_messages(member: User, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    """The member's messages matching `query`, best first (see the module's docstring): at most
    `limit` hits after skipping `offset`. Raises ValidationError for a query without words."""
    words = terms_of(query)
    scope = dict(
        Participant.objects.filter(member=member, hidden=False).values_list("conversation_id", "left_at")
    )
    if not scope or limit <= 0:
        return []
    vendor = connection.vendor
    if vendor == "sqlite":
        terms = [Term(word, typo_variants(word)) for word in words]
        rows = _sqlite_candidates(scope, terms)
    elif vendor == "postgresql":
        terms = _postgres_terms(words)
        rows = _postgres_candidates(scope, terms)
    else:
        terms = [Term(word, frozenset()) for word in words]
        rows = _portable_candidates(scope, terms)

    now = timezone.now()
    ranked: list[tuple[float, dt.datetime, int, int]] = []
    for message_id, conversation_id, created_at, text in rows:
        if conversation_id not in scope:  # never: the queries are scoped; checked all the same
            continue
        created_at = _aware(created_at)
        left_at = scope[conversation_id]
        if left_at is not None and created_at > left_at:
            continue
        tokens = set(_WORD.findall(text))
        qualities = [term.quality(tokens) for term in terms]
        if not all(qualities):
            continue
        age_days = max((now - created_at).total_seconds(), 0) / 86400
        recency = 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        score = 0.8 * sum(qualities) / len(qualities) + 0.2 * recency
        ranked.append((round(score, 6), created_at, message_id, conversation_id))
    ranked.sort(key=lambda hit: (hit[0], hit[1], hit[2]), reverse=True)
    page = ranked[offset : offset + limit]
    if not page:
        return []
    messages = Message.objects.select_related("sender__profile").in_bulk([hit[2] for hit in page])
    return [
        SearchHit(
            message=messages[message_id],
            conversation_id=conversation_id,
            snippet=snippet(messages[message_id].body, terms),
            score=score,
        )
        for score, _at, message_id, conversation_id in page
        if message_id in messages
    ]


def _aware(value) -> dt.datetime:
    if isinstance(value, str):  # SQLite through a raw cursor
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _sqlite_candidates(scope: dict, terms: list[Term]) -> list[tuple]:
    conversations = " OR ".join(f'"{conversation_id}"' for conversation_id in sorted(scope))
    parts = [f"conversation_id : ({conversations})"]
    for term in terms:
        if not term.prefix:
            parts.append(f'search_text : "{term.text}"')
            continue
        alternatives = [f'"{term.text}"*'] + [f'"{typo}"' for typo in sorted(term.typos)]
        parts.append(f"search_text : ({' OR '.join(alternatives)})")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, m.conversation_id, m.created_at, m.search_text FROM messaging_message m "  # noqa: S608 - a constant table name
            f"WHERE m.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            "ORDER BY rowid DESC LIMIT %s) AND m.deleted_at IS NULL",
            [" AND ".join(parts), CANDIDATES],
        )
        return cursor.fetchall()


def _postgres_terms(words: list[str]) -> list[Term]:
    """The query's words with their typos that someone actually wrote (one primary-key lookup)."""
    variants = {word: typo_variants(word) for word in words}
    wanted = sorted(set().union(*variants.values()))
    existing: set[str] = set()
    if wanted:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT word FROM {WORDS_TABLE} WHERE word = ANY(%s)", [wanted])  # noqa: S608
            existing = {row[0] for row in cursor.fetchall()}
    return [Term(word, frozenset(variants[word] & existing)) for word in words]


def _postgres_pattern(term: Term) -> str:
    start, end = "(?<![[:alnum:]])", "(?![[:alnum:]])"
    if not term.prefix:
        return f"{start}{term.text}{end}"
    if not term.typos:
        return f"{start}{term.text}"
    typos = "|".join(f"{typo}{end}" for typo in sorted(term.typos))
    return f"{start}(?:{term.text}|{typos})"


def _postgres_candidates(scope: dict, terms: list[Term]) -> list[tuple]:
    # MATERIALIZED: with a bare ORDER BY id DESC LIMIT the planner may walk the whole primary key
    # backwards looking for matches; here it combines the trigram and conversation indexes first.
    conditions = " AND ".join("search_text ~ %s" for _term in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH found AS MATERIALIZED (SELECT id, conversation_id, created_at, search_text "  # noqa: S608
            "FROM messaging_message WHERE conversation_id = ANY(%s) AND deleted_at IS NULL "
            f"AND {conditions}) SELECT * FROM found ORDER BY id DESC LIMIT %s",
            [sorted(scope), *(_postgres_pattern(term) for term in terms), CANDIDATES],
        )
        return cursor.fetchall()


def _portable_candidates(scope: dict, terms: list[Term]) -> list[tuple]:
    messages = Message.objects.filter(conversation_id__in=list(scope), deleted_at__isnull=True)
    for term in terms:
        messages = messages.filter(search_text__contains=term.text)
    return list(
        messages.order_by("-id").values_list("id", "conversation_id", "created_at", "search_text")[
            :CANDIDATES
        ]
    )


# ----------------------------------------------------------------------------------------- snippets


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the index of the character of `text` it came
    from (folding may drop a character — a combining accent — or make two: 'ß' → 'ss')."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    table = {char: _fold_char(char) for char in set(text)}
    if all(len(folded) == 1 for folded in table.values()):  # the usual case: one for one
        return text.translate(str.maketrans(table)), list(range(len(text)))
    parts: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        parts.append(table[char])
        positions.extend([index] * len(table[char]))
    return "".join(parts), positions


def snippet(body: str, terms: list[Term], *, width: int = SNIPPET_CHARS) -> SafeString:
    """Up to `width` characters of `body` around its first matching word, HTML-escaped, with every
    matching word in <mark>."""
    body = " ".join(body.split())  # one line: newlines and runs of spaces are not worth showing
    folded, positions = _folded_with_positions(body)
    spans: list[tuple[int, int]] = []
    for found in _WORD.finditer(folded):
        if any(term.matches_word(found.group()) for term in terms):
            start = positions[found.start()]
            end = positions[found.end() - 1] + 1
            while end < len(body) and unicodedata.combining(body[end]):
                end += 1
            spans.append((start, end))
    if spans:
        first = spans[0][0]
        start = max(0, first - width // 3)
        if start:
            space = body.find(" ", start, first)
            start = space + 1 if space != -1 else start
    else:
        start = 0
    stop = min(len(body), start + width)
    if stop < len(body):
        space = body.rfind(" ", max(start, stop - 20), stop)
        stop = space if space > (spans[0][1] if spans else start) else stop
    out: list[str] = ["…"] if start else []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= stop:
            continue
        span_start, span_end = max(span_start, start), min(span_end, stop)
        out.append(html.escape(body[cursor:span_start]))
        out.append(f"<mark>{html.escape(body[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(html.escape(body[cursor:stop]))
    if stop < len(body):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of the body is escaped above
