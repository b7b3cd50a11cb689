"""The in-memory graph index: degrees, mutual connections, connection counts and friends-of-friends,
answered without SQL. The database is the truth (`Connection`); each process builds the index from it on
first use and then follows the `GraphChange` log by id, so a change committed by any process is seen by
every other within `GRAPH_POLL_SECONDS` (default 0.25 s).

This first version keeps a dict of sets; the interface below is what the rest of the code uses and stays
when the storage changes.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import connection as db_connection

_lock = threading.RLock()
_index: GraphIndex | None = None


class GraphIndex:
    def __init__(self) -> None:
        self._adjacency: dict[int, set[int]] = {}
        self.last_change_id = 0
        self._polled_at = 0.0

    # ----------------------------------------------------------------------------------- building

    @classmethod
    def build_from_db(cls) -> GraphIndex:
        from entregent.network.models import Connection, GraphChange

        index = cls()
        # The log position first: any change committed while the rows load is replayed after (adding an
        # edge that is there, or removing one that is not, changes nothing).
        index.last_change_id = GraphChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for low, high in Connection.objects.values_list("member_low_id", "member_high_id").iterator(
            chunk_size=20_000
        ):
            index._add(low, high)
        index._polled_at = time.monotonic()
        return index

    def _add(self, a: int, b: int) -> None:
        self._adjacency.setdefault(a, set()).add(b)
        self._adjacency.setdefault(b, set()).add(a)

    def _remove(self, a: int, b: int) -> None:
        self._adjacency.get(a, set()).discard(b)
        self._adjacency.get(b, set()).discard(a)

    def follow_log(self, *, force: bool = False) -> int:
        """Apply the changes logged since the last look; returns how many. Polls at most every
        GRAPH_POLL_SECONDS, and never inside a transaction (a change seen there could still roll back)."""
        from entregent.network.models import GraphChange

        now = time.monotonic()
        interval = getattr(settings, "GRAPH_POLL_SECONDS", 0.25)
        if not force and now - self._polled_at < interval:
            return 0
        if db_connection.in_atomic_block and not getattr(settings, "GRAPH_POLL_IN_TRANSACTION", False):
            return 0
        self._polled_at = now
        changes = list(
            GraphChange.objects.filter(id__gt=self.last_change_id)
            .order_by("id")
            .values_list("id", "kind", "member_low", "member_high")
        )
        for change_id, kind, low, high in changes:
            if kind == GraphChange.Kind.ADD:
                self._add(low, high)
            else:
                self._remove(low, high)
            self.last_change_id = change_id
        return len(changes)

    # ------------------------------------------------------------------------------------- queries

    def neighbours(self, member_id: int) -> frozenset[int]:
        return frozenset(self._adjacency.get(member_id, ()))

    def connection_count(self, member_id: int) -> int:
        return len(self._adjacency.get(member_id, ()))

    def are_connected(self, a: int, b: int) -> bool:
        return b in self._adjacency.get(a, ())

    def mutual_ids(self, a: int, b: int) -> list[int]:
        """Members connected to both, in id order."""
        return sorted(self._adjacency.get(a, set()) & self._adjacency.get(b, set()))

    def mutual_count(self, a: int, b: int) -> int:
        return len(self._adjacency.get(a, set()) & self._adjacency.get(b, set()))

    def degree(self, a: int, b: int) -> int | None:
        """1, 2 or 3: the shortest chain of connections from a to b; None beyond 3 or for a == b."""
        if a == b:
            return None
        mine = self._adjacency.get(a, set())
        if b in mine:
            return 1
        theirs = self._adjacency.get(b, set())
        if not mine or not theirs:
            return None
        if mine & theirs:
            return 2
        small, large = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
        for member in small:
            if self._adjacency.get(member, set()) & large:
                return 3
        return None

    def degrees(self, viewer: int, member_ids: Iterable[int]) -> dict[int, int | None]:
        """Degree from `viewer` to each member: one pass building the viewer's 2nd-degree set, then a
        set lookup each (what a list of member cards needs)."""
        return {member: self.degree(viewer, member) for member in member_ids}

    def friends_of_friends(
        self, member_id: int, *, limit: int = 20, exclude: Iterable[int] = ()
    ) -> list[tuple[int, int]]:
        """Up to `limit` (member id, mutual connection count) pairs, most mutual connections first, for
        members at degree 2 not in `exclude`."""
        mine = self._adjacency.get(member_id, set())
        excluded = set(exclude) | mine | {member_id}
        counts: Counter[int] = Counter()
        for friend in mine:
            for candidate in self._adjacency.get(friend, ()):
                if candidate not in excluded:
                    counts[candidate] += 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def get_index() -> GraphIndex:
    """This process's index, built on first use and brought up to date with the change log."""
    global _index
    with _lock:
        if _index is None:
            _index = GraphIndex.build_from_db()
        else:
            _index.follow_log()
        return _index


def reset() -> None:
    """Forget this process's index (tests, after a restore): the next use rebuilds it."""
    global _index
    with _lock:
        _index = None
