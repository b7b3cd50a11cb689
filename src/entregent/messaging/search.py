"""Full-text search across one member's conversations: accent-insensitive (everything is compared in
`core.text.fold` form, which `Message.search_text` already holds), tolerant of one typo per word, with
highlighted snippets, and never outside the member's own conversations.

What matches. The query is cut into words (letters and digits; punctuation separates words). A message
matches when every word matches one of its words exactly, or as its beginning for words of 3
characters or more ("helen" finds "Hélène"; words of 1 or 2 characters only match whole words: "rh",
"ok"), or with one typo — one letter wrong, missing or extra, or two neighbours swapped ("devsi"
finds "devis") — for words of 4 letters or more (typos in numbers are not typos).

Order. Better matches first, in three tiers — every word exact; every word exact or a beginning;
some word through a typo — and within a tier the newest first. The exact tier is read from the
index newest first and only as far as the page needs, so a word found in most of a member's
messages costs no more than a rare one. (On SQLite the two other tiers are sorted among the newest
`SQLITE_LOOSE_MAX` such matches.)

Where. The conversations where the member is a participant and which they did not hide (a block
hides them); in a group they left, only the messages up to when they left — what was said after is
not theirs to read. Deleted messages (their `search_text` is emptied) never match.

How, per database (indexes created by migration 0002_search):
- SQLite: a contentless FTS5 table `messaging_message_fts` (`unicode61 remove_diacritics 2`, word
  tokens) over each message's conversation id and `search_text`, kept in step by triggers on
  `messaging_message`. Two MATCH queries at most (the exact tier, then the rest), restricted to the
  member's conversations by the conversation column: `conversation_id:("12" OR "57" …) AND
  search_text:("devsi"* OR "devis" OR …)`, read `ORDER BY rowid DESC LIMIT n`. A word's possible typos are spelled out (about 300 for a
  5-letter word) and looked up as whole tokens, which costs a few milliseconds. (A trigram table
  was measured too: 6× larger at 1M messages, 10–40× slower on the same typo expansion, and it
  cannot tell where words begin.)
- PostgreSQL: a pg_trgm GIN index on `search_text`, used by word-anchored regular expressions
  (`(?<![[:alnum:]])helene`), which the planner combines with the conversation index; typos come
  from the table `messaging_search_word` (every distinct word of 3+ letters ever written, kept by a
  trigger), where the spelled-out typos are looked up by primary key, so the regular expression
  only names words that exist. One query ranks the tiers. (`word_similarity`/`%>` on the messages
  themselves was measured at 130–800 ms for 100–1,000 conversations of 100 messages: the recheck
  of common trigrams dominates.)
- Other databases: exact words and beginnings only, by scanning the member's messages.
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
SNIPPET_CHARS = 180
RECENCY_HALF_LIFE_DAYS = 30
SQLITE_LOOSE_MAX = 1100  # matches beyond the exact tier sorted per query (50 pages of 20, and some)
POSTGRES_SCAN_MAX = 20_000  # messages in the member's conversations read without the trigram index
FTS_TABLE = "messaging_message_fts"
WORDS_TABLE = "messaging_search_word"
# The tiers, best first, and the score each starts from (recency adds up to 0.1 within a tier).
EXACT, PREFIX, TYPO = 0, 1, 2
TIER_SCORE = {EXACT: 1.0, PREFIX: 0.8, TYPO: 0.5}

_WORD = re.compile(r"[^\W_]+")
_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class SearchHit:
    message: Message
    conversation_id: int
    snippet: SafeString  # the message's text around the first match, escaped, matches in <mark>
    score: float  # 1.0–1.1 every word exact, 0.8–0.9 beginnings, 0.5–0.6 typos; newer is higher


@dataclass(frozen=True)
class Term:
    text: str
    typos: frozenset[str]  # the whole words one typo away (on PostgreSQL: those someone wrote)

    @property
    def prefix(self) -> bool:
        return len(self.text) >= PREFIX_MIN

    def tier(self, words: set[str]) -> int | None:
        """How this query word matches a message whose words are `words` (None: not at all)."""
        if self.text in words:
            return EXACT
        if self.prefix and any(word.startswith(self.text) for word in words):
            return PREFIX
        if self.typos and not self.typos.isdisjoint(words):
            return TYPO
        return None

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


@dataclass(frozen=True)
class _Scope:
    """The member's searchable conversations: ids, and for groups they left, when they left."""

    conversation_ids: list[int]
    left: dict[int, dt.datetime]


def search_messages(member: User, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    """The member's messages matching `query`, best first (see the module's docstring): at most
    `limit` hits after skipping `offset`. Raises ValidationError for a query without words."""
    words = terms_of(query)
    rows = Participant.objects.filter(member=member, hidden=False).values_list("conversation_id", "left_at")
    scope = _Scope(
        conversation_ids=sorted(conversation_id for conversation_id, _left in rows),
        left={conversation_id: left for conversation_id, left in rows if left is not None},
    )
    if not scope.conversation_ids or limit <= 0:
        return []
    offset = max(offset, 0)
    vendor = connection.vendor
    if vendor == "sqlite":
        terms = [Term(word, typo_variants(word)) for word in words]
        found = _sqlite_page(scope, terms, offset + limit)
    elif vendor == "postgresql":
        terms = _postgres_terms(words)
        found = _postgres_page(scope, terms, offset + limit)
    else:
        terms = [Term(word, frozenset()) for word in words]
        found = _portable_page(scope, terms, offset + limit)
    page = found[offset : offset + limit]
    if not page:
        return []
    messages = Message.objects.select_related("sender__profile").in_bulk([row[0] for row in page])
    now = timezone.now()
    hits = []
    for message_id, conversation_id, created_at, tier in page:
        message = messages.get(message_id)
        if message is None or message.deleted_at is not None:
            continue
        age_days = max((now - _aware(created_at)).total_seconds(), 0) / 86400
        recency = 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        hits.append(
            SearchHit(
                message=message,
                conversation_id=conversation_id,
                snippet=snippet(message.body, terms),
                score=round(TIER_SCORE[tier] + 0.1 * recency, 6),
            )
        )
    return hits


def _aware(value) -> dt.datetime:
    if isinstance(value, str):  # SQLite through a raw cursor
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _sqlite_page(scope: _Scope, terms: list[Term], want: int) -> list[tuple]:
    """The first `want` hits: the exact tier newest first, read only as far as needed; then, if the
    page needs more, the newest `SQLITE_LOOSE_MAX` of the other matches (beginnings and typos),
    sorted into their tiers from their text. One prefix lookup per word: a prefix query expands to
    every word with that beginning across all members' messages, the costly part for a word as
    common as "vous"."""
    conversations = "conversation_id : (" + " OR ".join(f'"{c}"' for c in scope.conversation_ids) + ")"
    exact = " AND ".join(f'search_text : "{t.text}"' for t in terms)
    loose = " AND ".join(
        "search_text : ("
        + " OR ".join([f'"{t.text}"' + ("*" if t.prefix else "")] + [f'"{v}"' for v in sorted(t.typos)])
        + ")"
        for t in terms
    )
    # Messages of a group written after the member left it: filtered on the message row, which the
    # query reads anyway (FTS5 walks its matches newest first and stops at the LIMIT).
    after_leaving = ""
    params_after: list = []
    if scope.left:
        after_leaving = (
            " AND NOT ("
            + " OR ".join("(m.conversation_id = %s AND m.created_at > %s)" for _c in scope.left)
            + ")"
        )
        for conversation_id, left_at in scope.left.items():
            params_after += [conversation_id, connection.ops.adapt_datetimefield_value(left_at)]
    sql = (
        "SELECT m.id, m.conversation_id, m.created_at, m.search_text "  # noqa: S608 - constant names
        f"FROM {FTS_TABLE} JOIN messaging_message m ON m.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND m.deleted_at IS NULL{after_leaving} "
        f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{conversations} AND ({exact})", *params_after, want])
        found = [(message_id, c, at, EXACT) for message_id, c, at, _text in cursor.fetchall()]
        if len(found) >= want or not any(t.prefix or t.typos for t in terms):
            return found
        # Every exact match of the member's is in `found` already (fewer than `want`): reading them
        # again is cheaper than asking FTS5 to leave them out (NOT walks the common words' lists).
        limit = max(SQLITE_LOOSE_MAX, want) + len(found)
        cursor.execute(sql, [f"{conversations} AND ({loose})", *params_after, limit])
        seen = {row[0] for row in found}
        others = []
        for message_id, c, at, text in cursor.fetchall():
            if message_id in seen:
                continue
            words = set(_WORD.findall(text))
            tiers = [term.tier(words) for term in terms]
            if None not in tiers:  # the tokenizers agree; this only guards against surprises
                others.append((message_id, c, at, max(tiers)))
    others.sort(key=lambda row: (row[3], -row[0]))
    return found + others


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


_START, _END = "(?<![[:alnum:]])", "(?![[:alnum:]])"


def _postgres_page(scope: _Scope, terms: list[Term], want: int) -> list[tuple]:
    """The first `want` hits in one query: every word's loosest pattern filters, then each match is
    put in its tier. Where the member's messages are few (up to `POSTGRES_SCAN_MAX`) they are read
    through the conversation index and filtered, whatever the words; beyond, the trigram index finds
    the words. (The planner would pick the trigram index for a small inbox too, and pay 130 ms for a
    word found in half of all messages instead of 25 ms for reading 12,000 rows.)"""
    exact = [f"{_START}{t.text}{_END}" for t in terms]
    starts = [f"{_START}{t.text}" + ("" if t.prefix else _END) for t in terms]
    loose = [
        f"{_START}(?:{t.text}"
        + ("" if t.prefix else _END)
        + "".join(f"|{v}{_END}" for v in sorted(t.typos))
        + ")"
        if t.typos
        else pattern
        for t, pattern in zip(terms, starts, strict=True)
    ]
    open_ids = [c for c in scope.conversation_ids if c not in scope.left]
    where_scope = "conversation_id = ANY(%s)" + "".join(
        " OR (conversation_id = %s AND created_at <= %s)" for _c in scope.left
    )
    params_scope: list = [open_ids]
    for conversation_id, left_at in scope.left.items():
        params_scope += [conversation_id, left_at]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM messaging_message WHERE conversation_id = ANY(%s) LIMIT %s) s",
            [scope.conversation_ids, POSTGRES_SCAN_MAX + 1],
        )
        # `search_text || ''` is the same text that no index knows: the planner reads the scope.
        column = "search_text || ''" if cursor.fetchone()[0] <= POSTGRES_SCAN_MAX else "search_text"

        def all_of(patterns: list[str]) -> str:
            return " AND ".join(f"({column}) ~ %s" for _p in patterns)

        # MATERIALIZED: with a bare ORDER BY … LIMIT the planner may walk the whole primary key
        # backwards looking for matches; here it finds the matches first, then sorts ids and tiers.
        cursor.execute(
            "WITH found AS MATERIALIZED (SELECT id, conversation_id, created_at, "  # noqa: S608
            f"CASE WHEN {all_of(exact)} THEN {EXACT} WHEN {all_of(starts)} THEN {PREFIX} ELSE {TYPO} END AS tier "
            f"FROM messaging_message WHERE ({where_scope}) AND deleted_at IS NULL AND {all_of(loose)}) "
            "SELECT id, conversation_id, created_at, tier FROM found ORDER BY tier, id DESC LIMIT %s",
            [*exact, *starts, *params_scope, *loose, want],
        )
        return cursor.fetchall()


def _portable_page(scope: _Scope, terms: list[Term], want: int) -> list[tuple]:
    messages = Message.objects.filter(conversation_id__in=scope.conversation_ids, deleted_at__isnull=True)
    for term in terms:
        messages = messages.filter(search_text__contains=term.text)
    found = []
    for message_id, conversation_id, created_at, text in messages.order_by("-id").values_list(
        "id", "conversation_id", "created_at", "search_text"
    ):
        left_at = scope.left.get(conversation_id)
        if left_at is not None and created_at > left_at:
            continue
        words = set(_WORD.findall(text))
        tiers = [term.tier(words) for term in terms]
        if None not in tiers:
            found.append((message_id, conversation_id, created_at, max(tiers)))
    found.sort(key=lambda row: (row[3], -row[0]))
    return found[:want]


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


# -------------------------------------------------------------------------------------- maintenance


def search_words_prune() -> int:
    """PostgreSQL: forget the words no message holds any more (deleted or edited away), so that the
    table of typo targets keeps nothing a member took back. Returns how many went; 0 elsewhere.
    Reads every message once (about 10 s at 1M messages); meant for a daily job."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {WORDS_TABLE} w WHERE NOT EXISTS (SELECT 1 FROM ("  # noqa: S608 - constant names
            "SELECT DISTINCT x AS word FROM messaging_message, "
            "regexp_split_to_table(search_text, '[^[:alnum:]]+') AS x "
            f"WHERE search_text <> '' AND length(x) BETWEEN {FUZZY_MIN - 1} AND 40) written "
            "WHERE written.word = w.word)"
        )
        return cursor.rowcount
