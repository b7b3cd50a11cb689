"""The in-memory graph index: degrees, mutual connections, connection counts and friends-of-friends,
answered without SQL. The database is the truth (`Connection`); each process builds the index from it on
first use and then follows the `GraphChange` log by id, so a change committed by any process is seen by
every other within `GRAPH_POLL_SECONDS` (default 0.25 s).

Storage (see `graphindex/` and docs/decisions/0005-graph-index.md): sorted int32 neighbour lists in
compressed sparse rows, built in one pass from a bulk read of the table, plus an overlay holding the
lists changed since the build, folded back into the rows when it grows. Each batch of changes
publishes a new immutable snapshot, so queries read without locks while the log is applied. The
queries themselves are numba-compiled kernels (compiled once, cached on disk).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection as db_connection

if TYPE_CHECKING:
    import numpy as np

    from entregent.network.graphindex.csr import Snapshot

_lock = threading.RLock()
_index: GraphIndex | None = None


class GraphIndex:
    # Friends-of-friends: intermediaries with more connections than this contribute a sample of that
    # many, and past FOF_BUDGET + FOF_BUDGET_PER_CONNECTION × (the member's connections) candidate
    # entries a sample of the member's own connections is walked (the returned mutual counts are
    # exact either way; see kernels.friends_of_friends). Measured at 1M members / 25M connections:
    # p99 under 1 ms for random members, a few ms for the best-connected.
    FOF_INTERMEDIARY_CAP = 1000
    FOF_BUDGET = 20_000
    FOF_BUDGET_PER_CONNECTION = 8
    # degrees(viewer, ids): the viewer's 2nd-degree set is built (and kept for the next lists) when
    # their two-hop volume is below this many entries per listed member; a few viewers are kept.
    SECOND_DEGREE_VOLUME_PER_MEMBER = 2_000
    SECOND_DEGREE_CACHE_SIZE = 32
    # A log id skipped (a transaction that took its id and had not committed yet, or rolled back)
    # is looked for again at every poll for this long.
    GAP_SECONDS = 60.0
    GAP_WINDOW = 1000
    MAX_GAPS = 10_000

    def __init__(self, snapshot: Snapshot | None = None) -> None:
        import numpy as np

        from entregent.network.graphindex import csr

        self._snapshot = snapshot or csr.build(np.zeros(0, np.int64), np.zeros(0, np.int64))
        self.last_change_id = 0
        self._polled_at = 0.0
        self._gaps: dict[int, float] = {}
        self._write_lock = threading.Lock()
        self._second: OrderedDict[int, np.ndarray] = OrderedDict()
        self._second_lock = threading.Lock()
        self._scratch = threading.local()

    # ----------------------------------------------------------------------------------- building

    @classmethod
    def build_from_db(cls) -> GraphIndex:
        from django.db.models import Max

        from entregent.network.graphindex import csr, loading
        from entregent.network.models import GraphChange

        # The log position first: any change committed while the rows load is replayed after (adding an
        # edge that is there, or removing one that is not, changes nothing). Ids just below it that are
        # not there yet may belong to transactions still open: watched as gaps.
        now = time.monotonic()
        last = GraphChange.objects.aggregate(last=Max("id"))["last"] or 0
        window_start = max(last - cls.GAP_WINDOW, 0)
        present = set(
            GraphChange.objects.filter(id__gt=window_start, id__lte=last).values_list("id", flat=True)
        )
        low, high = loading.connection_pairs(db_connection.alias)
        index = cls(csr.build(low, high, consume=True))
        del low, high
        index.last_change_id = last
        index._gaps = {gap: now for gap in range(window_start + 1, last + 1) if gap not in present}
        index._polled_at = time.monotonic()
        return index

    @classmethod
    def from_edges(cls, pairs: Iterable[tuple[int, int]]) -> GraphIndex:
        """An index over the given connections (any order, repeats ignored), without the database:
        for benchmarks and tests of the index itself."""
        import numpy as np

        from entregent.network.graphindex import csr

        edges = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
        edges = edges[edges[:, 0] != edges[:, 1]]
        edges = np.unique(np.sort(edges, axis=1), axis=0)
        return cls(csr.build(edges[:, 0].copy(), edges[:, 1].copy()))

    def follow_log(self, *, force: bool = False) -> int:
        """Apply the changes logged since the last look; returns how many. Polls at most every
        GRAPH_POLL_SECONDS, and never inside a transaction (a change seen there could still roll back)."""
        from django.db.models import Q

        from entregent.network.models import GraphChange

        now = time.monotonic()
        interval = getattr(settings, "GRAPH_POLL_SECONDS", 0.25)
        if not force and now - self._polled_at < interval:
            return 0
        if db_connection.in_atomic_block and not getattr(settings, "GRAPH_POLL_IN_TRANSACTION", False):
            return 0
        with self._write_lock:
            self._polled_at = now
            for gap, since in list(self._gaps.items()):
                if now - since > self.GAP_SECONDS:
                    del self._gaps[gap]
            query = Q(id__gt=self.last_change_id)
            if self._gaps:
                query |= Q(id__in=list(self._gaps))
            rows = list(
                GraphChange.objects.filter(query)
                .order_by("id")
                .values_list("id", "kind", "member_low", "member_high")
            )
            if not rows:
                return 0
            self._note_gaps([row[0] for row in rows], now)
            self.apply([(kind == GraphChange.Kind.ADD, low, high) for _id, kind, low, high in rows])
            self.last_change_id = max(self.last_change_id, rows[-1][0])
            return len(rows)

    def _note_gaps(self, change_ids: list[int], now: float) -> None:
        expected = self.last_change_id + 1
        for change_id in change_ids:
            self._gaps.pop(change_id, None)
            if change_id > expected:
                for gap in range(max(expected, change_id - self.MAX_GAPS), change_id):
                    self._gaps[gap] = now
            expected = max(expected, change_id + 1)
        while len(self._gaps) > self.MAX_GAPS:
            del self._gaps[min(self._gaps)]

    def apply(self, changes: Iterable[tuple[bool, int, int]]) -> None:
        """Apply (is_add, member_a, member_b) changes in order and publish the new snapshot."""
        from entregent.network.graphindex import csr

        old = self._snapshot
        new, touched = csr.apply_changes(old, changes)
        if new is old:
            return
        compacted = new.indptr is not old.indptr
        with self._second_lock:
            self._snapshot = new
            if compacted:
                self._second.clear()
            elif touched:
                # A viewer's 2nd-degree set changes when they or one of their connections gain or
                # lose a connection.
                import numpy as np

                changed = np.fromiter(touched, dtype=np.int32, count=len(touched))
                for viewer in list(self._second):
                    if viewer in touched or np.isin(old.neighbours(viewer), changed).any():
                        del self._second[viewer]

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays of the current snapshot."""
        return self._snapshot.nbytes

    @property
    def member_count(self) -> int:
        return self._snapshot.n

    @property
    def edge_count(self) -> int:
        return self._snapshot.edge_count

    # ------------------------------------------------------------------------------------- queries

    def neighbours(self, member_id: int) -> frozenset[int]:
        snapshot = self._snapshot
        return frozenset(snapshot.ids[snapshot.neighbours(snapshot.dense(member_id))].tolist())

    def connection_count(self, member_id: int) -> int:
        snapshot = self._snapshot
        return int(snapshot.neighbours(snapshot.dense(member_id)).shape[0])

    def are_connected(self, a: int, b: int) -> bool:
        snapshot = self._snapshot
        vb = snapshot.dense(b)
        if vb < 0:
            return False
        from entregent.network.graphindex import kernels

        return bool(kernels.contains(snapshot.neighbours(snapshot.dense(a)), vb))

    def mutual_ids(self, a: int, b: int) -> list[int]:
        """Members connected to both, in id order."""
        from entregent.network.graphindex import kernels

        snapshot = self._snapshot
        common = kernels.intersect(
            snapshot.neighbours(snapshot.dense(a)), snapshot.neighbours(snapshot.dense(b))
        )
        return sorted(snapshot.ids[common].tolist())

    def mutual_count(self, a: int, b: int) -> int:
        from entregent.network.graphindex import kernels

        snapshot = self._snapshot
        return int(
            kernels.intersect_count(
                snapshot.neighbours(snapshot.dense(a)), snapshot.neighbours(snapshot.dense(b))
            )
        )

    def degree(self, a: int, b: int) -> int | None:
        """1, 2 or 3: the shortest chain of connections from a to b; None beyond 3 or for a == b."""
        if a == b:
            return None
        snapshot = self._snapshot
        va, vb = snapshot.dense(a), snapshot.dense(b)
        if va < 0 or vb < 0:
            return None
        from entregent.network.graphindex import kernels

        for viewer, member in ((va, vb), (vb, va)):
            second = self._second.get(viewer)
            if second is not None:
                return self._with_second(snapshot, viewer, second, [member])[0] or None
        return kernels.degree(snapshot.G, va, vb, self._work(snapshot.n).mark) or None

    def degrees(self, viewer: int, member_ids: Iterable[int]) -> dict[int, int | None]:
        """Degree from `viewer` to each member (what a list of member cards needs). The viewer's
        2nd-degree set is built once and kept for their next lists (unless the viewer is so connected
        that single checks are cheaper), making each member a lookup plus at most one scan of the
        member's own connections."""
        members = [int(m) for m in member_ids]
        if not members:
            return {}
        snapshot = self._snapshot
        v = snapshot.dense(viewer)
        if v < 0:
            return dict.fromkeys(members)
        dense = snapshot.dense_many(members)
        second = self._second_for(snapshot, v, len(members))
        if second is not None:
            found = self._with_second(snapshot, v, second, dense)
        else:
            from entregent.network.graphindex import kernels

            mark = self._work(snapshot.n).mark
            found = [kernels.degree(snapshot.G, v, int(m), mark) if m >= 0 else 0 for m in dense.tolist()]
        return {member: (int(d) or None) for member, d in zip(members, found, strict=True)}

    def friends_of_friends(
        self, member_id: int, *, limit: int = 20, exclude: Iterable[int] = ()
    ) -> list[tuple[int, int]]:
        """Up to `limit` (member id, mutual connection count) pairs, most mutual connections first
        (ties by id), for members at degree 2 not in `exclude`. For very connected members and
        through very connected intermediaries the candidates are found on a sample (see
        FOF_INTERMEDIARY_CAP, FOF_BUDGET); the counts returned are exact."""
        snapshot = self._snapshot
        v = snapshot.dense(member_id)
        if v < 0 or limit <= 0:
            return []
        from entregent.network.graphindex import kernels

        excluded = snapshot.dense_many(exclude)
        excluded = excluded[excluded >= 0]
        work = self._work(snapshot.n)
        budget = self.FOF_BUDGET + self.FOF_BUDGET_PER_CONNECTION * int(snapshot.neighbours(v).shape[0])
        nodes, counts = kernels.friends_of_friends(
            snapshot.G,
            snapshot.ids,
            v,
            limit,
            excluded,
            self.FOF_INTERMEDIARY_CAP,
            budget,
            work.score,
            work.touched,
            work.mark,
        )
        return list(zip(snapshot.ids[nodes].tolist(), counts.tolist(), strict=True))

    # ------------------------------------------------------------------------------------ helpers

    def _work(self, n: int):
        """This thread's zeroed scratch arrays, large enough for n members."""
        import numpy as np

        work = self._scratch
        if getattr(work, "size", -1) < n:
            size = n + n // 8 + 1024
            words = (size + 63) // 64
            work.mark = np.zeros(words, np.uint64)
            work.score = np.zeros(size, np.int32)
            work.touched = np.empty(size, np.int32)
            work.size = size
        return work

    def _second_for(self, snapshot: Snapshot, v: int, listed: int) -> np.ndarray | None:
        import numpy as np

        from entregent.network.graphindex import kernels

        second = self._second.get(v)
        if second is not None:
            with self._second_lock:
                if v in self._second:
                    self._second.move_to_end(v)
            return second
        allowance = listed * self.SECOND_DEGREE_VOLUME_PER_MEMBER
        if kernels.member_volume(snapshot.G, v, allowance) > allowance:
            return None
        second = np.zeros((snapshot.n + 63) // 64 or 1, np.uint64)
        kernels.fill_second(snapshot.G, v, second)
        with self._second_lock:
            # Kept only if no change was published meanwhile (it could have been missed by the
            # invalidation in `apply`).
            if self._snapshot is snapshot:
                self._second[v] = second
                while len(self._second) > self.SECOND_DEGREE_CACHE_SIZE:
                    self._second.popitem(last=False)
        return second

    @staticmethod
    def _with_second(snapshot: Snapshot, v: int, second: np.ndarray, members) -> list[int]:
        import numpy as np

        from entregent.network.graphindex import kernels

        dense = np.asarray(members, dtype=np.int32)
        out = np.zeros(dense.shape[0], np.int8)
        kernels.degrees_with_second(snapshot.G, v, second, dense, out)
        return out.tolist()


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


def warm_in_background() -> threading.Thread | None:
    """Build this process's index in a background thread (the web server calls this at start), so the
    first member to open a page does not wait for the load and the first compiled queries. Off with
    GRAPH_WARM_AT_START=False. A failure is logged; the index is then built on first use."""
    if not getattr(settings, "GRAPH_WARM_AT_START", True):
        return None

    def warm() -> None:
        import logging

        from django.db import connections

        try:
            index = get_index()
            if index.member_count:
                ids = index._snapshot.ids
                first, last = int(ids[0]), int(ids[index.member_count - 1])
                index.degree(first, last)  # loads the compiled kernels from their cache
                index.friends_of_friends(first, limit=1)
        except Exception:  # the server must start anyway: the next page builds the index
            logging.getLogger(__name__).exception("Building the graph index at start failed")
        finally:
            connections.close_all()

    thread = threading.Thread(target=warm, name="graph-index-warm", daemon=True)
    thread.start()
    return thread
