"""The graph as arrays: an immutable `Snapshot` of compressed sparse rows plus an overlay of the
neighbour lists changed since the build, and the functions that make one (`build`), apply a batch of
logged changes to one (`apply_changes`, copy-on-write: readers holding the previous snapshot are
never disturbed) and fold the overlay back into plain rows (`compact`).

Members are mapped to dense indices 0..n-1 in id order at the build: through a lookup array indexed
by id when ids are reasonably dense (User pks are), else through a sorted array of ids. Members
first seen in the change log get the next indices and sit in a small dict until the next compaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from entregent.network.graphindex import kernels

EMPTY32 = np.zeros(0, np.int32)
EMPTY64 = np.zeros(0, np.int64)

# A lookup array costs 4 bytes per possible id: used while ids up to the largest fit in this many
# entries per member (plus a floor), else the sorted-array mapping.
LOOKUP_SLACK = 4
LOOKUP_FLOOR = 1 << 20
# Above this id the build does not even try a lookup array (it would take 4 bytes per id to find out).
LOOKUP_CEILING = 1 << 26
# Compact when the overlay holds more entries than this share of the built rows (or the floor).
COMPACT_SHARE = 0.125
COMPACT_FLOOR = 1 << 20


def _words(n: int) -> int:
    return max(1, (n + 63) // 64)


@dataclass(frozen=True, slots=True, eq=False)
class Snapshot:
    """One consistent state of the graph. Never mutated once published (the pool and the id array
    are only ever written past what this snapshot uses, by the snapshot that succeeds it)."""

    indptr: np.ndarray  # int64[n_base + 1]
    indices: np.ndarray  # int32
    pbits: np.ndarray  # uint64 bitset: members whose list lives in the overlay
    pnodes: np.ndarray  # int32, sorted: those members
    pstart: np.ndarray  # int64: where each one's list starts in the pool
    pend: np.ndarray  # int64
    pool: np.ndarray  # int32: overlay lists (older versions of a list stay until compaction)
    pool_used: int
    n: int  # members 0..n-1
    ids: np.ndarray  # int64 member id by dense index (capacity may exceed n)
    lookup: np.ndarray | None  # int32 dense index by id, or None for the sorted mapping
    keys: np.ndarray  # int64 sorted ids (sorted mapping only)
    extra: dict[int, int] = field(default_factory=dict)  # members added since the build
    G: tuple = ()

    @classmethod
    def make(cls, **fields) -> Snapshot:
        snapshot = cls(**fields)
        object.__setattr__(
            snapshot,
            "G",
            (
                snapshot.indptr,
                snapshot.indices,
                snapshot.pbits,
                snapshot.pnodes,
                snapshot.pstart,
                snapshot.pend,
                snapshot.pool,
            ),
        )
        return snapshot

    @property
    def edge_count(self) -> int:
        return int(self.indptr[-1]) // 2

    @property
    def nbytes(self) -> int:
        arrays = (self.indptr, self.indices, self.pbits, self.pnodes, self.pstart, self.pend, self.pool)
        total = sum(a.nbytes for a in arrays) + self.ids.nbytes + self.keys.nbytes
        return total + (self.lookup.nbytes if self.lookup is not None else 0)

    # -------------------------------------------------------------------------------- id mapping

    def dense(self, member_id: int) -> int:
        """The dense index of a member id, -1 if the member has no connection on record."""
        if self.lookup is not None:
            if 0 <= member_id < self.lookup.shape[0]:
                index = int(self.lookup[member_id])
                if index >= 0:
                    return index
        elif self.keys.shape[0]:
            k = int(np.searchsorted(self.keys, member_id))
            if k < self.keys.shape[0] and self.keys[k] == member_id:
                return k
        return self.extra.get(member_id, -1)

    def dense_many(self, member_ids: Iterable[int]) -> np.ndarray:
        """Dense indices (int32, -1 for unknown members) of many ids at once."""
        wanted = np.fromiter((int(m) for m in member_ids), dtype=np.int64)
        out = np.full(wanted.shape[0], -1, np.int32)
        if self.lookup is not None:
            inside = (wanted >= 0) & (wanted < self.lookup.shape[0])
            out[inside] = self.lookup[wanted[inside]]
        elif self.keys.shape[0]:
            positions = np.minimum(np.searchsorted(self.keys, wanted), self.keys.shape[0] - 1)
            found = self.keys[positions] == wanted
            out[found] = positions[found]
        if self.extra:
            for i in np.flatnonzero(out < 0):
                out[i] = self.extra.get(int(wanted[i]), -1)
        return out

    def member_ids(self, dense: np.ndarray) -> list[int]:
        return self.ids[dense].tolist()

    # ------------------------------------------------------------------------------------ access

    def neighbours(self, v: int) -> np.ndarray:
        """The sorted dense neighbours of dense member `v` (a view)."""
        if v < 0 or v >= self.n:
            return EMPTY32
        if (int(self.pbits[v >> 6]) >> (v & 63)) & 1:
            k = int(np.searchsorted(self.pnodes, v))
            return self.pool[self.pstart[k] : self.pend[k]]
        if v + 1 < self.indptr.shape[0]:
            return self.indices[self.indptr[v] : self.indptr[v + 1]]
        return EMPTY32


# ------------------------------------------------------------------------------------------ building


def _empty_overlay(n: int) -> dict:
    return {
        "pbits": np.zeros(_words(n), np.uint64),
        "pnodes": EMPTY32,
        "pstart": EMPTY64,
        "pend": EMPTY64,
        "pool": np.zeros(1 << 16, np.int32),
        "pool_used": 0,
    }


def build(low: np.ndarray, high: np.ndarray, *, consume: bool = False) -> Snapshot:
    """The snapshot of the graph whose connections are the pairs (low[i], high[i]) of member ids,
    each unordered pair at most once (as the database keeps them). With `consume`, int32 arrays
    are overwritten with dense indices instead of copied (less memory at the build)."""
    if low.shape[0] == 0:
        return Snapshot.make(
            indptr=np.zeros(1, np.int64),
            indices=EMPTY32,
            n=0,
            ids=EMPTY64,
            lookup=np.zeros(0, np.int32),
            keys=EMPTY64,
            **_empty_overlay(0),
        )
    max_id = int(max(low.max(), high.max()))
    min_id = int(min(low.min(), high.min()))
    if min_id < 0:
        raise ValueError("member ids must not be negative")
    lookup: np.ndarray | None
    if max_id < LOOKUP_CEILING:
        lookup, ids = kernels.dense_lookup(low, high, max_id)
        if max_id + 1 > LOOKUP_SLACK * ids.shape[0] + LOOKUP_FLOOR:
            lookup = None  # mostly holes: the sorted mapping is smaller
    else:
        lookup, ids = None, np.unique(np.concatenate((low, high))).astype(np.int64)
    if lookup is not None and low.dtype == np.int32 and consume:
        kernels.remap_in_place(low, lookup)
        kernels.remap_in_place(high, lookup)
        lo, hi = low, high
        keys = EMPTY64
    elif lookup is not None:
        lo, hi = kernels.remap(low, lookup), kernels.remap(high, lookup)
        keys = EMPTY64
    else:
        lo = np.searchsorted(ids, low).astype(np.int32)
        hi = np.searchsorted(ids, high).astype(np.int32)
        keys = ids
    n = ids.shape[0]
    indptr, indices = kernels.csr_from_pairs(lo, hi, n)
    del lo, hi
    return Snapshot.make(
        indptr=indptr, indices=indices, n=n, ids=ids, lookup=lookup, keys=keys, **_empty_overlay(n)
    )


# ---------------------------------------------------------------------------------------- changes


def apply_changes(snapshot: Snapshot, changes: Iterable[tuple[bool, int, int]]) -> tuple[Snapshot, set[int]]:
    """The snapshot after `changes` ((is_add, member_a, member_b), in log order), and the dense
    members whose lists changed. Adding a pair already there or removing one that is not changes
    nothing, so replaying part of the log is harmless."""
    extra = snapshot.extra
    ids = snapshot.ids
    n = snapshot.n
    work: dict[int, set[int]] = {}

    def current(v: int) -> set[int]:
        members = work.get(v)
        if members is None:
            members = work[v] = set(snapshot.neighbours(v).tolist()) if v < snapshot.n else set()
        return members

    def new_member(member_id: int) -> int:
        nonlocal extra, ids, n
        if extra is snapshot.extra:
            extra = dict(extra)
        if n >= ids.shape[0]:
            grown = np.empty(max(16, ids.shape[0] + ids.shape[0] // 4 + 16), np.int64)
            grown[:n] = ids[:n]
            ids = grown
        ids[n] = member_id  # past what `snapshot` uses: its readers never look there
        extra[member_id] = n
        n += 1
        return n - 1

    def dense(member_id: int) -> int:
        index = snapshot.dense(member_id)
        if index < 0 and extra is not snapshot.extra:
            index = extra.get(member_id, -1)
        return index

    for is_add, a_id, b_id in changes:
        if a_id == b_id:
            continue
        a, b = dense(a_id), dense(b_id)
        if is_add:
            if a < 0:
                a = new_member(a_id)
            if b < 0:
                b = new_member(b_id)
            current(a).add(b)
            current(b).add(a)
        elif a >= 0 and b >= 0:
            current(a).discard(b)
            current(b).discard(a)

    changed: dict[int, np.ndarray] = {}
    for v, members in work.items():
        new_list = np.fromiter(sorted(members), dtype=np.int32, count=len(members))
        if not np.array_equal(new_list, snapshot.neighbours(v)):
            changed[v] = new_list
    if not changed and n == snapshot.n:
        return snapshot, set()

    # Write the changed lists past the pool's used part (growing it into a new array if needed).
    pool, used = snapshot.pool, snapshot.pool_used
    needed = sum(a.shape[0] for a in changed.values())
    if used + needed > pool.shape[0]:
        grown = np.empty(max(2 * pool.shape[0], used + needed), np.int32)
        grown[:used] = pool[:used]
        pool = grown
    nodes = np.array(sorted(changed), dtype=np.int32)
    starts = np.empty(nodes.shape[0], np.int64)
    ends = np.empty(nodes.shape[0], np.int64)
    for i, v in enumerate(nodes.tolist()):
        values = changed[v]
        pool[used : used + values.shape[0]] = values
        starts[i], ends[i] = used, used + values.shape[0]
        used += values.shape[0]

    positions = np.searchsorted(snapshot.pnodes, nodes)
    if snapshot.pnodes.shape[0]:
        clipped = np.minimum(positions, snapshot.pnodes.shape[0] - 1)
        known = (positions < snapshot.pnodes.shape[0]) & (snapshot.pnodes[clipped] == nodes)
    else:
        known = np.zeros(nodes.shape[0], bool)
    pstart, pend = snapshot.pstart.copy(), snapshot.pend.copy()
    pstart[positions[known]] = starts[known]
    pend[positions[known]] = ends[known]
    fresh = ~known
    pnodes = np.insert(snapshot.pnodes, positions[fresh], nodes[fresh])
    pstart = np.insert(pstart, positions[fresh], starts[fresh])
    pend = np.insert(pend, positions[fresh], ends[fresh])
    pbits = np.zeros(_words(n), np.uint64)
    pbits[: snapshot.pbits.shape[0]] = snapshot.pbits
    for v in nodes.tolist():
        pbits[v >> 6] |= np.uint64(1 << (v & 63))

    updated = Snapshot.make(
        indptr=snapshot.indptr,
        indices=snapshot.indices,
        pbits=pbits,
        pnodes=pnodes,
        pstart=pstart,
        pend=pend,
        pool=pool,
        pool_used=used,
        n=n,
        ids=ids,
        lookup=snapshot.lookup,
        keys=snapshot.keys,
        extra=extra,
    )
    if used > max(COMPACT_FLOOR, COMPACT_SHARE * snapshot.indices.shape[0]):
        updated = compact(updated)
    return updated, set(changed)


def compact(snapshot: Snapshot) -> Snapshot:
    """The same graph with the overlay folded into fresh rows and new members into the mapping."""
    indptr, indices = kernels.compact(snapshot.G, snapshot.n)
    ids = snapshot.ids[: snapshot.n].copy()
    lookup, keys = snapshot.lookup, snapshot.keys
    if snapshot.extra:
        new_ids = np.fromiter(snapshot.extra, dtype=np.int64, count=len(snapshot.extra))
        new_dense = np.fromiter(snapshot.extra.values(), dtype=np.int32, count=len(snapshot.extra))
        max_id = int(max(ids.max(), 0))
        if (
            lookup is not None
            and max_id < LOOKUP_CEILING
            and max_id + 1 <= LOOKUP_SLACK * snapshot.n + LOOKUP_FLOOR
        ):
            grown = np.full(max(max_id + 1, lookup.shape[0]), -1, np.int32)
            grown[: lookup.shape[0]] = lookup
            grown[new_ids] = new_dense
            lookup = grown
        else:
            # The sorted mapping needs dense order == id order: renumber every member.
            return build(*_pairs(snapshot, indptr, indices))
    return Snapshot.make(
        indptr=indptr,
        indices=indices,
        n=snapshot.n,
        ids=ids,
        lookup=lookup,
        keys=keys,
        **_empty_overlay(snapshot.n),
    )


def _pairs(snapshot: Snapshot, indptr: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every connection once, as (low id, high id) arrays."""
    sources = np.repeat(np.arange(snapshot.n, dtype=np.int32), np.diff(indptr))
    keep = sources < indices
    low, high = snapshot.ids[sources[keep]], snapshot.ids[indices[keep]]
    return np.minimum(low, high), np.maximum(low, high)
