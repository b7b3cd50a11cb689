"""The compiled kernels of the graph index. Every function here is numba-compiled on first call and
cached on disk (under the data directory, `cache/numba`, unless NUMBA_CACHE_DIR says otherwise), so
only the first process after an install or upgrade pays the compilation; the others load the machine
code in a fraction of a second. They run without the GIL.

They all read the graph through `G`, a tuple of arrays (see `csr.Snapshot`):
    (indptr int64[n_base+1], indices int32[...], pbits uint64[...], pnodes int32[P], pstart int64[P],
     pend int64[P], pool int32[...])
A member's neighbours are `indices[indptr[v]:indptr[v+1]]`, sorted, unless their bit is set in
`pbits`: then their list was changed since the build and lives in `pool[pstart[k]:pend[k]]`, where
`pnodes[k] == v`. Members are dense indices 0..n-1; the bitsets passed as scratch (`mark`, `mark2`) hold
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
def volume(G, members, stop):
    """Sum of the connection counts of `members`, stopping once past `stop`."""
    total = 0
    for u in members:
        total += nbrs(G, u).shape[0]
        if total > stop:
            break
    return total


@jit
def member_volume(G, v, stop):
    return volume(G, nbrs(G, v), stop)


# ----------------------------------------------------------------------------------------- degrees


@jit
def _near(G, s, t, vs, mark):
    """2 if a member of `s` is in `t`, 3 if a neighbour of one is, else 0. `vs` is the two-hop volume
    of `s`: it decides between marking `t` in the bitset and binary searching it."""
    dt = t.shape[0]
    by_search = dt > 256 and (vs + s.shape[0]) * (np.log2(dt) + 1.0) < 2.0 * dt
    result = 0
    if by_search:
        for u in s:
            if contains(t, u):
                return 2
        for u in s:
            for w in nbrs(G, u):
                if contains(t, w):
                    return 3
        return 0
    for w in t:
        bit_set(mark, w)
    for u in s:
        if bit_test(mark, u):
            result = 2
            break
    if result == 0:
        for u in s:
            for w in nbrs(G, u):
                if bit_test(mark, w):
                    result = 3
                    break
            if result:
                break
    for w in t:
        mark[w >> 6] = 0
    return result


@jit
def degree(G, a, b, mark):
    """1, 2 or 3 for the shortest chain of connections from a to b, 0 beyond 3 or when a == b.
    Bidirectional: the side whose two-hop neighbourhood is smaller is scanned, the other side's
    neighbours are marked."""
    if a == b:
        return 0
    na = nbrs(G, a)
    nb_ = nbrs(G, b)
    if na.shape[0] == 0 or nb_.shape[0] == 0:
        return 0
    if na.shape[0] <= nb_.shape[0]:
        if contains(nb_, a):
            return 1
        va = volume(G, na, 1 << 62)
        vb = volume(G, nb_, va)
    else:
        if contains(na, b):
            return 1
        vb = volume(G, nb_, 1 << 62)
        va = volume(G, na, vb)
    if va <= vb:
        return _near(G, na, nb_, va, mark)
    return _near(G, nb_, na, vb, mark)


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
    if x.shape[0] * 16 < y.shape[0]:
        lo = 0
        for value in x:
            lo = lo + np.searchsorted(y[lo:], value)
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
    if x.shape[0] * 16 < y.shape[0]:
        lo = 0
        for value in x:
            lo = lo + np.searchsorted(y[lo:], value)
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


@jit
def _before(count_a, id_a, count_b, id_b):
    return count_a > count_b or (count_a == count_b and id_a < id_b)


@jit
def friends_of_friends(G, ids, v, limit, exclude, cap, budget, score, touched, mark, mark2):
    """Up to `limit` members at degree 2 from `v` (not in `exclude`), most mutual connections first,
    ties by member id; returns (dense members, mutual counts).

    Exact on ordinary members. Two bounds keep hubs fast: an intermediary with more than `cap`
    connections contributes an evenly spaced sample of `cap` of them (a connection shared through a
    super-connector says little, and their whole list would cost the most), and when the members'
    own connections would bring more than `budget` candidate entries, an evenly spaced sample of
    those connections is walked. In either case the best candidates by sampled count are then
    counted exactly and re-ranked, so the counts returned are always the true mutual counts.
    `score` (int32, n) and `touched` (int32, n) are zeroed scratch; `mark`, `mark2` zeroed bitsets."""
    nv = nbrs(G, v)
    n = score.shape[0]
    bit_set(mark, v)
    for u in nv:
        bit_set(mark, u)
    for x in exclude:
        if 0 <= x < n:
            bit_set(mark, x)

    total = 0
    for u in nv:
        total += min(nbrs(G, u).shape[0], cap)
    approximate = total > budget
    step = total / budget if approximate else 1.0

    nt = 0
    position = 0.0
    while position < nv.shape[0]:
        u = nv[int(position)]
        position += step
        nu = nbrs(G, u)
        du = nu.shape[0]
        if du > cap:
            approximate = True
            stride = du / cap
            for j in range(cap):
                w = nu[int(j * stride)]
                if not bit_test(mark, w):
                    if score[w] == 0:
                        touched[nt] = w
                        nt += 1
                    score[w] += 1
        else:
            for w in nu:
                if not bit_test(mark, w):
                    if score[w] == 0:
                        touched[nt] = w
                        nt += 1
                    score[w] += 1

    for x in exclude:
        if 0 <= x < n:
            mark[x >> 6] = 0
    for u in nv:
        mark[u >> 6] = 0
    mark[v >> 6] = 0

    # The best `wanted` by (score desc, id asc), in O(touched): a histogram of scores gives the
    # threshold, ties at the threshold are cut by id with a partition.
    wanted = limit if not approximate else 2 * limit + 10
    top_score = 0
    for i in range(nt):
        if score[touched[i]] > top_score:
            top_score = score[touched[i]]
    histogram = np.zeros(top_score + 1, np.int64)
    for i in range(nt):
        histogram[score[touched[i]]] += 1
    threshold = top_score
    above = 0
    while threshold > 1 and above + histogram[threshold] < wanted:
        above += histogram[threshold]
        threshold -= 1
    ties = histogram[threshold] if threshold >= 1 else 0
    room = min(wanted - above, ties)
    cut_id = np.int64(1) << 62
    if 0 < room < ties:
        tie_ids = np.empty(ties, np.int64)
        k = 0
        for i in range(nt):
            if score[touched[i]] == threshold:
                tie_ids[k] = ids[touched[i]]
                k += 1
        cut_id = np.partition(tie_ids, room - 1)[room - 1]
    chosen = np.empty(above + max(room, 0), np.int32)
    counts = np.empty(chosen.shape[0], np.int64)
    k = 0
    for i in range(nt):
        w = touched[i]
        s = score[w]
        if s > threshold or (s == threshold and room > 0 and ids[w] <= cut_id):
            chosen[k] = w
            counts[k] = s
            k += 1
        score[w] = 0
    chosen = chosen[:k]
    counts = counts[:k]

    if approximate:
        for u in nv:
            bit_set(mark2, u)
        for i in range(k):
            nc = nbrs(G, chosen[i])
            if nc.shape[0] > 16 * nv.shape[0]:
                counts[i] = intersect_count(nv, nc)
            else:
                c = 0
                for w in nc:
                    if bit_test(mark2, w):
                        c += 1
                counts[i] = c
        for u in nv:
            mark2[u >> 6] = 0

    # Insertion sort: at most 2 * limit + 10 entries.
    for i in range(1, k):
        w = chosen[i]
        c = counts[i]
        j = i - 1
        while j >= 0 and _before(c, ids[w], counts[j], ids[chosen[j]]):
            chosen[j + 1] = chosen[j]
            counts[j + 1] = counts[j]
            j -= 1
        chosen[j + 1] = w
        counts[j + 1] = c
    k = min(k, limit)
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
