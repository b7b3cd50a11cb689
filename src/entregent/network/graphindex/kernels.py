"""The compiled kernels of the graph index. Every function here is numba-compiled on first call and
cached on disk (under the data directory, `cache/numba`, unless NUMBA_CACHE_DIR says otherwise), so
only the first process after an install or upgrade pays the compilation; the others load the machine
code in a fraction of a second. They run without the GIL.

They all read the graph through `G`, a tuple of arrays (see `csr.Snapshot`):
    (indptr int64[n_base+1], indices int32[...], pbits uint64[...], pnodes int32[P], pstart int64[P],
     pend int64[P], pool int32[...])
A member's neighbours are `indices[indptr[v]:indptr[v+1]]`, sorted, unless their bit is set in
`pbits`: then their list was changed since the build and lives in `pool[pstart[k]:pend[k]]`, where
`pnodes[k] == v`. Members are dense indices 0..n-1; the bitsets passed as scratch (`mark`) hold
n bits and must be all zero on entry: every kernel clears what it set before returning.
"""

from __future__ import annotations

from pathlib import Path

import numba as nb
import numpy as np


def _configure_cache() -> None:
    """Cache compiled code under the data directory (always writable, unlike an installed package's
    folder), unless NUMBA_CACHE_DIR already chose a place."""
    if nb.config.CACHE_DIR:
        return
    try:
        from django.conf import settings

        path = Path(settings.DATA_DIR) / "cache" / "numba"
        path.mkdir(parents=True, exist_ok=True)
    except Exception:  # noqa: BLE001 - no settings or no writable folder: numba's own default
        return
    nb.config.CACHE_DIR = str(path)


_configure_cache()

jit = nb.njit(cache=True, nogil=True)

_ONE = np.uint64(1)
# Intersections walk the longer list by galloping when it is this many times longer.
_GALLOP_RATIO = 8


# ------------------------------------------------------------------------------------------ access


@jit
def bit_test(bits, v):
    return (bits[v >> 6] >> np.uint64(v & 63)) & _ONE


@jit
def bit_set(bits, v):
    bits[v >> 6] |= _ONE << np.uint64(v & 63)


@jit
def nbrs(G, v):
    """The sorted neighbour list of dense member `v` (a view, never a copy)."""
    indptr, indices, pbits, pnodes, pstart, pend, pool = G
    if (pbits[v >> 6] >> np.uint64(v & 63)) & _ONE:
        k = np.searchsorted(pnodes, v)
        return pool[pstart[k] : pend[k]]
    if v + 1 < indptr.shape[0]:
        return indices[indptr[v] : indptr[v + 1]]
    return indices[0:0]


@jit
def contains(sorted_arr, x):
    k = np.searchsorted(sorted_arr, x)
    return k < sorted_arr.shape[0] and sorted_arr[k] == x


@jit
def gallop(y, lo, value):
    """The first index from `lo` on where sorted `y` holds `value` or more: an exponential search
    from `lo`, then a binary search, so a walk through y in increasing order stays local."""
    n = y.shape[0]
    if lo >= n or y[lo] >= value:
        return lo
    bound = 1
    while lo + bound < n and y[lo + bound] < value:
        bound <<= 1
    low = lo + (bound >> 1) + 1
    high = min(lo + bound, n)
    while low < high:
        mid = (low + high) >> 1
        if y[mid] < value:
            low = mid + 1
        else:
            high = mid
    return low


@jit
def volume(G, members, cap, stop):
    """Sum of the connection counts of `members`, each counted up to `cap`, stopping past `stop`."""
    total = 0
    for u in members:
        total += min(nbrs(G, u).shape[0], cap)
        if total > stop:
            break
    return total


@jit
def member_volume(G, v, stop):
    return volume(G, nbrs(G, v), 1 << 62, stop)


@jit
def intersects(x, y):
    """Whether two sorted lists share a member: a merge, or binary searches of the shorter list's
    members in the longer one when it is much longer."""
    if x.shape[0] > y.shape[0]:
        x, y = y, x
    if x.shape[0] == 0:
        return False
    if x.shape[0] * _GALLOP_RATIO < y.shape[0]:
        lo = 0
        for value in x:
            lo = gallop(y, lo, value)
            if lo >= y.shape[0]:
                return False
            if y[lo] == value:
                return True
        return False
    i = 0
    j = 0
    while i < x.shape[0] and j < y.shape[0]:
        if x[i] < y[j]:
            i += 1
        elif x[i] > y[j]:
            j += 1
        else:
            return True
    return False


# ----------------------------------------------------------------------------------------- degrees

# An intermediary's list longer than this many times the other side's list is searched for the
# other side's members instead of being scanned.
_SEARCH_RATIO = 16
_LONG_LIST = 128


@jit
def _third(G, s, t, mark):
    """Whether a neighbour of a member of `s` is in `t` (no member of `s` is)."""
    dt = t.shape[0]
    if dt > 256:
        # Marking a long `t` costs more than searching it, when `s` reaches few entries.
        walk = volume(G, s, _SEARCH_RATIO * dt, 2 * dt)
        if walk * (np.log2(dt) + 1.0) < 2.0 * dt:
            for u in s:
                if intersects(nbrs(G, u), t):
                    return True
            return False
    long_list = _SEARCH_RATIO * dt
    for w in t:
        bit_set(mark, w)
    # Every entry is about as likely to be a hit, and a long list yields its entries faster than
    # many short ones (one cache miss each): the long lists first.
    found = False
    for long_first in (True, False):
        for u in s:
            nu = nbrs(G, u)
            if (nu.shape[0] >= _LONG_LIST) != long_first:
                continue
            if nu.shape[0] > long_list:
                found = intersects(t, nu)
            else:
                for w in nu:
                    if bit_test(mark, w):
                        found = True
                        break
            if found:
                break
        if found:
            break
    for w in t:
        mark[w >> 6] = 0
    return found


@jit
def degree(G, a, b, mark):
    """1, 2 or 3 for the shortest chain of connections from a to b, 0 beyond 3 or when a == b.
    Bidirectional: the two-hop neighbourhood of the side with fewer connections is walked while
    the other side's connections are marked in a bitset (the more marks, the sooner a hit); an
    intermediary with a very long list is searched for the marked members instead."""
    if a == b:
        return 0
    na = nbrs(G, a)
    nb_ = nbrs(G, b)
    if na.shape[0] == 0 or nb_.shape[0] == 0:
        return 0
    if na.shape[0] > nb_.shape[0]:
        na, nb_, a, b = nb_, na, b, a
    if contains(nb_, a):
        return 1
    if intersects(na, nb_):
        return 2
    return 3 if _third(G, na, nb_, mark) else 0


@jit
def fill_second(G, v, bits):
    """Set in `bits` every member reachable in two steps from `v` (the viewer's 2nd-degree set, which
    also holds `v` and those of its connections connected to each other)."""
    for u in nbrs(G, v):
        for w in nbrs(G, u):
            bit_set(bits, w)


@jit
def degrees_with_second(G, v, second, members, out):
    """Degree from `v` to each of `members` (dense, -1 for unknown) into `out`, given `second` from
    `fill_second(G, v, ...)`: a lookup for 1st and 2nd degree, one scan of the member's own list for
    the 3rd."""
    nv = nbrs(G, v)
    nbits = second.shape[0] * 64
    for i in range(members.shape[0]):
        m = members[i]
        if m < 0 or m == v:
            out[i] = 0
        elif contains(nv, m):
            out[i] = 1
        elif m < nbits and bit_test(second, m):
            out[i] = 2
        else:
            r = 0
            for w in nbrs(G, m):
                if w < nbits and bit_test(second, w):
                    r = 3
                    break
            out[i] = r


# ---------------------------------------------------------------------------------------- mutuals


@jit
def intersect(x, y):
    """The members in both sorted lists, sorted. Gallops through the longer list when one is much
    shorter than the other."""
    if x.shape[0] > y.shape[0]:
        x, y = y, x
    out = np.empty(x.shape[0], np.int32)
    k = 0
    if x.shape[0] * _GALLOP_RATIO < y.shape[0]:
        lo = 0
        for value in x:
            lo = gallop(y, lo, value)
            if lo >= y.shape[0]:
                break
            if y[lo] == value:
                out[k] = value
                k += 1
        return out[:k]
    i = 0
    j = 0
    while i < x.shape[0] and j < y.shape[0]:
        if x[i] < y[j]:
            i += 1
        elif x[i] > y[j]:
            j += 1
        else:
            out[k] = x[i]
            k += 1
            i += 1
            j += 1
    return out[:k]


@jit
def intersect_count(x, y):
    if x.shape[0] > y.shape[0]:
        x, y = y, x
    k = 0
    if x.shape[0] * _GALLOP_RATIO < y.shape[0]:
        lo = 0
        for value in x:
            lo = gallop(y, lo, value)
            if lo >= y.shape[0]:
                break
            if y[lo] == value:
                k += 1
        return k
    i = 0
    j = 0
    while i < x.shape[0] and j < y.shape[0]:
        if x[i] < y[j]:
            i += 1
        elif x[i] > y[j]:
            j += 1
        else:
            k += 1
            i += 1
            j += 1
    return k


# ------------------------------------------------------------------------------ friends of friends


_EXCLUDED = np.int32(-(1 << 30))
# While no sample of the member's own connections is taken, a candidate's score packs the exact count
# through ordinary intermediaries (high bits) and the sampled count through capped ones (low bits).
_PACK = 65536
_PACK_MAX_DEGREE = 32_000


@jit
def _worse(score_a, id_a, score_b, id_b):
    """Whether candidate a ranks after candidate b: fewer mutual connections, then a higher id."""
    return score_a < score_b or (score_a == score_b and id_a > id_b)


@jit
def _swap(heap, heap_key, heap_id, heap_raw, i, j):
    heap[i], heap[j] = heap[j], heap[i]
    heap_key[i], heap_key[j] = heap_key[j], heap_key[i]
    heap_id[i], heap_id[j] = heap_id[j], heap_id[i]
    heap_raw[i], heap_raw[j] = heap_raw[j], heap_raw[i]


@jit
def _offer(heap, heap_key, heap_id, heap_raw, size, w, key, member_id, raw):
    """Keep the best len(heap) candidates in a heap with the worst at the root; returns the size."""
    if size < heap.shape[0]:
        i = size
        heap[i], heap_key[i], heap_id[i], heap_raw[i] = w, key, member_id, raw
        while i > 0:
            parent = (i - 1) // 2
            if not _worse(heap_key[i], heap_id[i], heap_key[parent], heap_id[parent]):
                break
            _swap(heap, heap_key, heap_id, heap_raw, i, parent)
            i = parent
        return size + 1
    heap[0], heap_key[0], heap_id[0], heap_raw[0] = w, key, member_id, raw
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and _worse(
            heap_key[child + 1], heap_id[child + 1], heap_key[child], heap_id[child]
        ):
            child += 1
        if not _worse(heap_key[child], heap_id[child], heap_key[i], heap_id[i]):
            break
        _swap(heap, heap_key, heap_id, heap_raw, i, child)
        i = child
    return size


@jit
def friends_of_friends(G, ids, v, limit, exclude, cap, budget, score, touched, mark):
    """Up to `limit` members at degree 2 from `v` (not in `exclude`), most mutual connections first,
    ties by member id; returns (dense members, mutual counts).

    Exact on ordinary members. Two bounds keep hubs fast: an intermediary with more than `cap`
    connections contributes an evenly spaced sample of `cap` of them (a connection shared through a
    super-connector says little, and their whole list would cost the most), and when the member's
    own connections would bring more than `budget` candidate entries, an evenly spaced sample of
    those connections is walked. In either case the best candidates by sampled count are then
    counted exactly and re-ranked, so the counts returned are always the true mutual counts.
    `score` (int32, n) and `touched` (int32, n) are zeroed scratch, `mark` a zeroed bitset."""
    nv = nbrs(G, v)
    n = score.shape[0]
    score[v] = _EXCLUDED
    for u in nv:
        score[u] = _EXCLUDED
    for x in exclude:
        if 0 <= x < n:
            score[x] = _EXCLUDED

    total = 0
    capped = 0
    for u in nv:
        du = nbrs(G, u).shape[0]
        total += min(du, cap)
        capped += du > cap
    sampled = total > budget
    packed = not sampled and nv.shape[0] <= _PACK_MAX_DEGREE
    unit = _PACK if packed else 1
    hubs = np.empty(capped if packed else 0, np.int32)
    step = total / budget if sampled else 1.0

    nt = 0
    nh = 0
    position = 0.0
    while position < nv.shape[0]:
        u = nv[int(position)]
        position += step
        nu = nbrs(G, u)
        du = nu.shape[0]
        # (Counting is written out in both loops: a call per entry would triple the time.)
        if du > cap:
            if packed:
                hubs[nh] = u
                nh += 1
            stride = du / cap
            for j in range(cap):
                w = nu[int(j * stride)]
                s = score[w]
                if s >= 0:
                    if s == 0:
                        touched[nt] = w
                        nt += 1
                    score[w] = s + 1
        else:
            for w in nu:
                s = score[w]
                if s >= 0:
                    if s == 0:
                        touched[nt] = w
                        nt += 1
                    score[w] = s + unit

    # The best `wanted` by (sampled count desc, id asc) in one pass, zeroing the scores on the way.
    exact = not sampled and capped == 0
    wanted = limit if exact else limit + 10
    heap = np.empty(wanted, np.int32)
    heap_key = np.empty(wanted, np.int64)
    heap_id = np.empty(wanted, np.int64)
    heap_raw = np.empty(wanted, np.int64)
    size = 0
    for i in range(nt):
        w = touched[i]
        s = score[w]
        score[w] = 0
        key = (s // _PACK) + (s % _PACK) if packed else s
        if size < wanted or key > heap_key[0] or (key == heap_key[0] and ids[w] < heap_id[0]):
            size = _offer(heap, heap_key, heap_id, heap_raw, size, w, key, ids[w], s)
    for x in exclude:
        if 0 <= x < n:
            score[x] = 0
    for u in nv:
        score[u] = 0
    score[v] = 0
    chosen = heap[:size].copy()
    counts = heap_key[:size].copy()

    if not exact and size:
        # Exact counts for the chosen. Either all at once, walking the lists of the intermediaries
        # not yet counted exactly (the capped ones when the rest is exact, else every connection)
        # against the sorted chosen; or one candidate at a time against the member's list. Each
        # estimated in sequential reads, a random probe costing about ten.
        walk = hubs[:nh] if packed else nv
        dv = nv.shape[0]
        one_by_one = 0.0
        for i in range(size):
            dc = nbrs(G, chosen[i]).shape[0]
            if dc > _GALLOP_RATIO * dv:
                one_by_one += dv * (np.log2(dc / dv + 1.0) + 2.0) * 4.0
            else:
                one_by_one += dc
        all_at_once = walk.shape[0] * (size + 10.0) * 2.0
        if all_at_once <= one_by_one:
            order = np.argsort(chosen)
            sorted_chosen = chosen[order]
            found = np.zeros(size, np.int64)
            for u in walk:
                nu = nbrs(G, u)
                if nu.shape[0] > _GALLOP_RATIO * size:
                    lo = 0
                    for j in range(size):
                        lo = gallop(nu, lo, sorted_chosen[j])
                        if lo >= nu.shape[0]:
                            break
                        if nu[lo] == sorted_chosen[j]:
                            found[j] += 1
                else:
                    a = 0
                    b = 0
                    while a < nu.shape[0] and b < size:
                        if nu[a] < sorted_chosen[b]:
                            a += 1
                        elif nu[a] > sorted_chosen[b]:
                            b += 1
                        else:
                            found[b] += 1
                            a += 1
                            b += 1
            for j in range(size):
                i = order[j]
                counts[i] = (heap_raw[i] // _PACK if packed else 0) + found[j]
        else:
            for u in nv:
                bit_set(mark, u)
            for i in range(size):
                nc = nbrs(G, chosen[i])
                if nc.shape[0] > _GALLOP_RATIO * dv:
                    counts[i] = intersect_count(nv, nc)
                else:
                    c = 0
                    for w in nc:
                        if bit_test(mark, w):
                            c += 1
                    counts[i] = c
            for u in nv:
                mark[u >> 6] = 0

    # Insertion sort, best first: at most limit + 10 entries.
    for i in range(1, size):
        w = chosen[i]
        c = counts[i]
        j = i - 1
        while j >= 0 and _worse(counts[j], ids[chosen[j]], c, ids[w]):
            chosen[j + 1] = chosen[j]
            counts[j + 1] = counts[j]
            j -= 1
        chosen[j + 1] = w
        counts[j + 1] = c
    k = min(size, limit)
    return chosen[:k].copy(), counts[:k].copy()


# ------------------------------------------------------------------------------------------ building


@jit
def dense_lookup(low, high, max_id):
    """For ids up to `max_id`: `lookup[id]` is the member's dense index (-1 if absent) and `ids` the
    member ids by dense index, in id order."""
    lookup = np.full(max_id + 1, -1, np.int32)
    for x in low:
        lookup[x] = -2
    for x in high:
        lookup[x] = -2
    n = 0
    for i in range(max_id + 1):
        if lookup[i] == -2:
            lookup[i] = n
            n += 1
    ids = np.empty(n, np.int64)
    for i in range(max_id + 1):
        if lookup[i] >= 0:
            ids[lookup[i]] = i
    return lookup, ids


@jit
def remap(values, lookup):
    """Dense indices of `values` (ids up to len(lookup) - 1), as int32."""
    out = np.empty(values.shape[0], np.int32)
    for i in range(values.shape[0]):
        out[i] = lookup[values[i]]
    return out


@jit
def remap_in_place(values, lookup):
    """Replace ids by their dense indices (int32 arrays: the build's largest arrays are reused)."""
    for i in range(values.shape[0]):
        values[i] = lookup[values[i]]


@jit
def csr_from_pairs(lo, hi, n):
    """CSR of the undirected graph with edges (lo[i], hi[i]) over n dense members, each list sorted.
    Pairs arrive without duplicates (one row per pair in the database). Filled in pair order, so
    pairs sorted by (low, high) give sorted lists at once; any other order is sorted per list."""
    indptr = np.zeros(n + 1, np.int64)
    for i in range(lo.shape[0]):
        indptr[lo[i] + 1] += 1
        indptr[hi[i] + 1] += 1
    for v in range(n):
        indptr[v + 1] += indptr[v]
    fill = indptr[:-1].copy()
    indices = np.empty(indptr[n], np.int32)
    for i in range(lo.shape[0]):
        a = lo[i]
        b = hi[i]
        indices[fill[a]] = b
        fill[a] += 1
        indices[fill[b]] = a
        fill[b] += 1
    for v in range(n):
        segment = indices[indptr[v] : indptr[v + 1]]
        for j in range(1, segment.shape[0]):
            if segment[j] < segment[j - 1]:
                segment.sort()
                break
    return indptr, indices


@jit
def compact(G, n):
    """A fresh CSR holding every member's current list: the build merged with the overlay."""
    indptr = np.zeros(n + 1, np.int64)
    for v in range(n):
        indptr[v + 1] = indptr[v] + nbrs(G, v).shape[0]
    indices = np.empty(indptr[n], np.int32)
    for v in range(n):
        indices[indptr[v] : indptr[v + 1]] = nbrs(G, v)
    return indptr, indices
