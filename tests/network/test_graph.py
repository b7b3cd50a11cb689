"""The in-memory graph index agrees with the SQL reference (`selectors.degree_between`,
`mutual_connection_ids`) and with a brute-force model, after the build and after changes followed
through the log; friends-of-friends ranking, exclusion and the hub bounds; sparse ids; the empty
graph; log gaps and compaction."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.db import transaction

from entregent.network import graph, selectors, services
from entregent.network.graph import GraphIndex
from entregent.network.graphindex import csr
from entregent.network.models import GraphChange
from tests.factories import UserFactory, connect

# ------------------------------------------------------------------------------------ brute force


class Model:
    """Dict-of-sets reference for graphs too large to check against SQL pair by pair."""

    def __init__(self, edges=()) -> None:
        self.adj: dict[int, set[int]] = {}
        for a, b in edges:
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        if a != b:
            self.adj.setdefault(a, set()).add(b)
            self.adj.setdefault(b, set()).add(a)

    def remove(self, a: int, b: int) -> None:
        self.adj.get(a, set()).discard(b)
        self.adj.get(b, set()).discard(a)

    def of(self, a: int) -> set[int]:
        return self.adj.get(a, set())

    def degree(self, a: int, b: int) -> int | None:
        if a == b:
            return None
        mine, theirs = self.of(a), self.of(b)
        if b in mine:
            return 1
        if mine & theirs:
            return 2
        if any(self.of(u) & theirs for u in mine):
            return 3
        return None

    def fof(self, v: int, limit: int = 20, exclude=()) -> list[tuple[int, int]]:
        excluded = set(exclude) | self.of(v) | {v}
        counts: Counter[int] = Counter()
        for u in self.of(v):
            counts.update(w for w in self.of(u) if w not in excluded)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def random_edges(rng: random.Random, ids: list[int], count: int) -> set[tuple[int, int]]:
    edges = set()
    while len(edges) < count:
        a, b = rng.sample(ids, 2)
        edges.add((min(a, b), max(a, b)))
    return edges


def assert_agrees(index: GraphIndex, model: Model, ids: list[int]) -> None:
    for a in ids:
        assert index.neighbours(a) == frozenset(model.of(a))
        assert index.connection_count(a) == len(model.of(a))
        assert index.degrees(a, ids) == {b: model.degree(a, b) for b in ids}
        assert index.friends_of_friends(a) == model.fof(a)
        for b in ids:
            assert index.degree(a, b) == model.degree(a, b), (a, b)
            assert index.are_connected(a, b) == (b in model.of(a))
            assert index.mutual_ids(a, b) == sorted(model.of(a) & model.of(b))
            assert index.mutual_count(a, b) == len(model.of(a) & model.of(b))


# ---------------------------------------------------------------------------- against the database


def members(count: int) -> list:
    return [UserFactory() for _ in range(count)]


def assert_agrees_with_sql(users: list) -> None:
    index = graph.get_index()
    for a in users:
        for b in users:
            assert index.degree(a.pk, b.pk) == selectors.degree_between(a, b), (a.pk, b.pk)
            if a != b:
                assert index.mutual_ids(a.pk, b.pk) == selectors.mutual_connection_ids(a, b)
        ids = [u.pk for u in users]
        assert index.degrees(a.pk, ids) == {u.pk: selectors.degree_between(a, u) for u in users}


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_index_agrees_with_sql_reference_on_random_graphs(seed):
    rng = random.Random(seed)
    users = members(14)
    for a, b in random_edges(rng, list(range(14)), 16 + seed * 3):
        connect(users[a], users[b])
    graph.reset()
    assert_agrees_with_sql(users)


@pytest.mark.django_db
def test_index_follows_adds_and_removes_through_the_change_log():
    rng = random.Random(7)
    users = members(12)
    pairs = sorted(random_edges(rng, list(range(12)), 18))
    for a, b in pairs[:9]:
        connect(users[a], users[b])
    graph.get_index()  # built now; what follows arrives through the log
    for a, b in pairs[9:]:
        services.connection_make(a=users[a], b=users[b])
    for a, b in pairs[:4]:
        services.connection_remove(member=users[a], other=users[b])
    assert graph.get_index().last_change_id == GraphChange.objects.order_by("-id").first().id
    assert_agrees_with_sql(users)


@pytest.mark.django_db
def test_index_handles_sparse_member_ids():
    far = [UserFactory(id=1_500_000_000 + i * 7_919) for i in range(3)]
    near = members(3)
    connect(far[0], near[0])
    connect(near[0], far[1])
    connect(far[1], far[2])
    connect(near[1], far[2])
    graph.reset()
    index = graph.get_index()
    assert index._snapshot.lookup is None  # ids this far apart: the sorted mapping
    assert index.degree(far[0].pk, far[2].pk) == 3
    assert index.mutual_ids(far[0].pk, far[1].pk) == [near[0].pk]
    assert_agrees_with_sql(far + near)
    # A member seen first in the log, with an id far from the others.
    newcomer = UserFactory(id=2_100_000_000)
    services.connection_make(a=newcomer, b=near[2])
    services.connection_make(a=newcomer, b=far[0])
    assert graph.get_index().degree(newcomer.pk, near[0].pk) == 2
    assert_agrees_with_sql([*far, *near, newcomer])


@pytest.mark.django_db
def test_empty_graph_answers_without_errors(alice, bob):
    index = graph.get_index()
    assert index.degree(alice.pk, bob.pk) is None
    assert index.degrees(alice.pk, [bob.pk, alice.pk, 123456]) == {bob.pk: None, alice.pk: None, 123456: None}
    assert index.friends_of_friends(alice.pk) == []
    assert index.neighbours(alice.pk) == frozenset()
    assert index.connection_count(alice.pk) == 0
    assert index.mutual_ids(alice.pk, bob.pk) == []
    assert not index.are_connected(alice.pk, bob.pk)
    services.connection_make(a=alice, b=bob)
    assert graph.get_index().degree(alice.pk, bob.pk) == 1


@pytest.mark.django_db
def test_the_log_is_not_read_inside_a_transaction_unless_allowed(settings, alice, bob):
    graph.get_index()
    settings.GRAPH_POLL_IN_TRANSACTION = False
    with transaction.atomic():
        services.connection_make(a=alice, b=bob)
        assert graph.get_index().degree(alice.pk, bob.pk) is None
    settings.GRAPH_POLL_IN_TRANSACTION = True
    assert graph.get_index().degree(alice.pk, bob.pk) == 1


@pytest.mark.django_db
def test_the_log_is_polled_at_most_every_poll_interval(settings, alice, bob):
    index = graph.get_index()
    settings.GRAPH_POLL_SECONDS = 3600
    index.follow_log(force=True)
    services.connection_make(a=alice, b=bob)
    assert graph.get_index().degree(alice.pk, bob.pk) is None
    assert index.follow_log(force=True) == 1
    assert graph.get_index().degree(alice.pk, bob.pk) == 1


@pytest.mark.django_db
def test_a_change_whose_log_id_commits_late_is_still_applied(alice, bob):
    """Log ids are handed out before commit: a later id can be seen first. The skipped id is
    watched and applied when it appears."""
    cat = UserFactory()
    index = graph.get_index()
    start = index.last_change_id
    GraphChange.objects.create(
        id=start + 2, kind="add", member_low=min(bob.pk, cat.pk), member_high=max(bob.pk, cat.pk)
    )
    assert index.follow_log(force=True) == 1
    assert index.last_change_id == start + 2
    assert start + 1 in index._gaps
    GraphChange.objects.create(
        id=start + 1, kind="add", member_low=min(alice.pk, bob.pk), member_high=max(alice.pk, bob.pk)
    )
    assert index.follow_log(force=True) == 1
    assert index.degree(alice.pk, cat.pk) == 2
    assert start + 1 not in index._gaps


@pytest.mark.django_db
def test_building_watches_recent_missing_log_ids(alice, bob):
    GraphChange.objects.create(id=10, kind="add", member_low=1, member_high=2)
    GraphChange.objects.create(id=12, kind="remove", member_low=1, member_high=2)
    graph.reset()
    index = graph.get_index()
    assert index.last_change_id == 12
    assert 11 in index._gaps
    assert 10 not in index._gaps
    low, high = sorted((alice.pk, bob.pk))
    GraphChange.objects.create(id=11, kind="add", member_low=low, member_high=high)
    assert index.follow_log(force=True) == 1
    assert index.are_connected(alice.pk, bob.pk)


# ----------------------------------------------------------------------------- the index alone


@pytest.mark.parametrize("seed", range(6))
def test_index_agrees_with_brute_force_through_random_changes(seed, monkeypatch):
    rng = random.Random(seed)
    # Sparse ids in half the runs; frequent compaction so that path runs too.
    base = 10**12 if seed % 2 else 1
    ids = [base + rng.randrange(0, 400) * (1 + seed) for _ in range(60)]
    ids = sorted(set(ids))
    monkeypatch.setattr(csr, "COMPACT_FLOOR", 40)
    monkeypatch.setattr(csr, "COMPACT_SHARE", 0.05)
    edges = random_edges(rng, ids, 150)
    index = GraphIndex.from_edges(edges)
    model = Model(edges)
    assert_agrees(index, model, ids)
    newcomers = [base + 10_000 + i for i in range(5)]
    everyone = ids + newcomers
    for _ in range(12):
        batch = []
        for _ in range(rng.randrange(1, 12)):
            a, b = rng.sample(everyone, 2)
            is_add = rng.random() < 0.6
            batch.append((is_add, a, b))
            (model.add if is_add else model.remove)(a, b)
        index.apply(batch)
    assert_agrees(index, model, everyone)


def test_replaying_changes_is_harmless():
    index = GraphIndex.from_edges([(1, 2), (2, 3)])
    snapshot = index._snapshot
    index.apply([(True, 1, 2), (False, 1, 3), (True, 3, 2)])
    assert index._snapshot is snapshot
    index.apply([(True, 1, 3), (False, 1, 3), (True, 1, 3)])
    assert index.neighbours(1) == {2, 3}


def test_friends_of_friends_ranks_by_mutual_count_then_id_and_excludes():
    # 1 knows 2, 3, 4; 10 is known by all three, 11 by two, 12 and 13 by one.
    index = GraphIndex.from_edges(
        [(1, 2), (1, 3), (1, 4), (2, 10), (3, 10), (4, 10), (2, 11), (3, 11), (4, 13), (2, 12), (2, 3)]
    )
    assert index.friends_of_friends(1) == [(10, 3), (11, 2), (12, 1), (13, 1)]
    assert index.friends_of_friends(1, limit=2) == [(10, 3), (11, 2)]
    assert index.friends_of_friends(1, exclude=[10, 12, 999]) == [(11, 2), (13, 1)]
    assert index.friends_of_friends(1, limit=0) == []
    assert index.friends_of_friends(999) == []
    # Connections and the member themself are never suggested.
    assert {m for m, _ in index.friends_of_friends(2)}.isdisjoint({1, 2, 3, 10, 11, 12})


def test_friends_of_friends_ties_are_cut_by_id_at_the_limit():
    # Thirty candidates each with one mutual connection: the lowest ids win.
    edges = [(1, 2)] + [(2, 100 + i) for i in range(30)]
    index = GraphIndex.from_edges(edges)
    assert index.friends_of_friends(1, limit=5) == [(100 + i, 1) for i in range(5)]


def test_hub_suggestions_stay_sensible_when_sampled():
    """A hub whose friends-of-friends exceed the budget, through intermediaries past the cap: the
    candidates sharing the most connections still come first, with exact counts."""
    rng = random.Random(3)
    hub = 1
    friends = list(range(1000, 1400))
    edges = [(hub, f) for f in friends]
    # Candidate 50 shares 120 of the hub's friends, 51 shares 80, 52 shares 40; noise elsewhere.
    for candidate, shared in ((50, 120), (51, 80), (52, 40)):
        edges += [(candidate, f) for f in rng.sample(friends, shared)]
    crowd = list(range(5000, 8000))
    for f in friends:
        edges += [(f, c) for c in rng.sample(crowd, 6)]
    # Two super-connectors among the friends, connected to the whole crowd.
    edges += [(friends[0], c) for c in crowd] + [(friends[1], c) for c in crowd]
    index = GraphIndex.from_edges(edges)
    model = Model(edges)
    exact = model.fof(hub, limit=3)
    index.FOF_INTERMEDIARY_CAP = 50
    index.FOF_BUDGET = 600
    index.FOF_BUDGET_PER_CONNECTION = 0
    sampled = index.friends_of_friends(hub, limit=10)
    assert [m for m, _ in sampled[:3]] == [m for m, _ in exact] == [50, 51, 52]
    for member, count in sampled:
        assert count == len(model.of(hub) & model.of(member))
    assert all(member not in model.of(hub) and member != hub for member, _ in sampled)
    # A member whose only connection is a super-connector still gets suggestions.
    newcomer = [(9999, friends[0])]
    index = GraphIndex.from_edges(edges + newcomer)
    index.FOF_INTERMEDIARY_CAP = 50
    suggestions = index.friends_of_friends(9999, limit=5)
    assert len(suggestions) == 5
    assert all(count == 1 for _, count in suggestions)


def test_degrees_reuses_the_viewers_second_degree_set_until_their_network_changes():
    index = GraphIndex.from_edges([(1, 2), (2, 3), (3, 4), (4, 5), (6, 7)])
    assert index.degrees(1, [2, 3, 4, 5, 6, 1]) == {2: 1, 3: 2, 4: 3, 5: None, 6: None, 1: None}
    assert 0 in index._second  # dense index of member 1
    index.apply([(True, 5, 6)])  # far from 1: the set stays
    assert 0 in index._second
    assert index.degree(1, 4) == 3
    index.apply([(True, 2, 6)])  # 1's connection gains one: rebuilt on next use
    assert 0 not in index._second
    assert index.degrees(1, [6, 7, 5]) == {6: 2, 7: 3, 5: 3}
    index.apply([(False, 1, 2)])
    assert index.degrees(1, [2, 3]) == {2: None, 3: None}


def test_a_member_connected_to_everyone_in_a_large_list_uses_single_checks():
    edges = [(1, i) for i in range(2, 400)] + [(i, i + 1) for i in range(2, 401)] + [(401, 402)]
    index = GraphIndex.from_edges(edges)
    index.SECOND_DEGREE_VOLUME_PER_MEMBER = 1
    assert index.degrees(2, [1, 3, 50, 400, 401, 402]) == {1: 1, 3: 1, 50: 2, 400: 3, 401: None, 402: None}
    assert not index._second
    # From the hub, binary searches in its long list instead of marking it.
    assert [index.degree(1, m) for m in (400, 401, 402)] == [2, 3, None]
    assert [index.degree(m, 1) for m in (400, 401, 402)] == [2, 3, None]


def hub_graph(seed: int) -> list[tuple[int, int]]:
    """1,500 members, five of them connected to 300–700 others, the rest sparsely."""
    rng = random.Random(seed)
    people = list(range(1, 1501))
    edges = set(random_edges(rng, people, 3000))
    for hub in people[:5]:
        for other in rng.sample(people, rng.randrange(300, 700)):
            if other != hub:
                edges.add((min(hub, other), max(hub, other)))
    return sorted(edges)


@pytest.mark.parametrize("seed", [11, 12])
def test_degrees_through_and_to_hubs_agree_with_brute_force(seed):
    rng = random.Random(seed)
    edges = hub_graph(seed)
    index, model = GraphIndex.from_edges(edges), Model(edges)
    members = [rng.randrange(1, 1501) for _ in range(300)] + list(range(1, 6))
    for a in members:
        b = rng.randrange(1, 1501)
        assert index.degree(a, b) == model.degree(a, b), (a, b)
        assert index.degree(b, a) == model.degree(a, b), (b, a)
    for hub in range(1, 6):
        for other in rng.sample(range(1, 1501), 40):
            assert index.degree(hub, other) == model.degree(hub, other), (hub, other)


@pytest.mark.parametrize(("cap", "budget"), [(20, 100), (50, 2_000), (1000, 100)])
def test_sampled_suggestions_are_valid_ranked_and_counted_exactly(cap, budget):
    edges = hub_graph(5)
    index, model = GraphIndex.from_edges(edges), Model(edges)
    index.FOF_INTERMEDIARY_CAP, index.FOF_BUDGET, index.FOF_BUDGET_PER_CONNECTION = cap, budget, 0
    for member in [*range(1, 8), 100, 500, 1000]:
        excluded = [candidate for candidate, _ in model.fof(member, limit=2)]
        rows = index.friends_of_friends(member, limit=15, exclude=[9999, *excluded])
        exact = model.fof(member, limit=15, exclude=excluded)
        assert rows, member
        assert not {candidate for candidate, _ in rows} & set(excluded)
        for candidate, count in rows:
            assert model.degree(member, candidate) == 2
            assert count == len(model.of(member) & model.of(candidate))
        assert rows == sorted(rows, key=lambda row: (-row[1], row[0]))
        # The best candidate by far is never missed.
        if len(exact) > 1 and exact[0][1] >= 2 * exact[1][1]:
            assert rows[0] == exact[0]


@pytest.mark.django_db(transaction=True)
def test_the_server_builds_the_index_at_start_in_the_background(settings):
    from tests.factories import member

    graph_module = graph
    a, b, c = member(), member(), member()
    connect(a, b)
    connect(b, c)
    graph_module.reset()
    thread = graph_module.warm_in_background()
    thread.join(timeout=60)
    assert graph_module._index is not None
    assert graph_module._index.degree(a.pk, c.pk) == 2
    settings.GRAPH_WARM_AT_START = False
    assert graph_module.warm_in_background() is None
