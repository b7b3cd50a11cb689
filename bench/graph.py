"""The graph index against networkit and igraph, on the same synthetic network in the same run.

    uv run --group bench python bench/graph.py [--members 1000000] [--edges 25000000]
    uv run --group bench python bench/graph.py --members 20000 --edges 500000      # a quick try
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run --group bench python bench/graph.py

1. Generates a heavy-tailed network with numpy (Chung–Lu: each member's expected degree drawn from a
   Pareto law of exponent 2.5, scaled to the wanted mean, capped at 20,000), writes it as
   `Connection` rows into a scratch database — an SQLite file under --data-dir, or, when
   DATABASE_URL is set (or --database postgres), a scratch database `entregent_graph_bench` created
   on that PostgreSQL server — and reuses it on the next run with the same sizes and seed.
2. Builds the index the way the application does, `GraphIndex.build_from_db()`, and reports its
   time, the growth of the process's memory (RSS) and the bytes of its arrays.
3. Builds networkit and igraph graphs from the index's own rows (the very same graph) and times, per
   query, from Python: the degree of 1,000 random pairs — ours, networkit's BidirectionalBFS (a new
   object per query, as reusing one grows memory without bound) and igraph's single-pair shortest
   path (slow: only --igraph-pairs pairs); degrees for lists of 20 members (first list of a viewer,
   then the next one with the viewer's 2nd-degree set kept); top-20 suggestions for 100 random
   members and for the 10 best-connected, with how the sampled hub suggestions compare with the
   exact ranking.

Not part of the test suite. networkit and igraph come from the `bench` dependency group.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = "entregent_graph_bench"


# ------------------------------------------------------------------------------------- utilities


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def peak_rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak_rss() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def mb(count: float) -> str:
    return f"{count / 1e6:,.0f} MB"


def percentiles(samples_ns: list[int]) -> tuple[float, float, float]:
    """p50, p99, max in microseconds."""
    values = np.array(samples_ns, dtype=np.float64) / 1000.0
    return float(np.percentile(values, 50)), float(np.percentile(values, 99)), float(values.max())


def timed(function, *args, **kwargs):
    start = time.perf_counter_ns()
    result = function(*args, **kwargs)
    return result, time.perf_counter_ns() - start


def fmt_us(value: float) -> str:
    return f"{value / 1000:,.2f} ms" if value >= 1000 else f"{value:,.1f} µs"


def line(label: str, samples_ns: list[int], extra: str = "") -> tuple[float, float]:
    p50, p99, top = percentiles(samples_ns)
    print(f"  {label:<44} p50 {fmt_us(p50):>11}   p99 {fmt_us(p99):>11}   max {fmt_us(top):>11}{extra}")
    return p50, p99


# ------------------------------------------------------------------------------- the network


def synthetic_network(members: int, edges: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`edges` distinct pairs (low id, high id) over `members` member ids, heavy tailed, sorted."""
    rng = np.random.default_rng(seed)
    mean = 2 * edges / members
    weights = (1.0 - rng.random(members)) ** (-1.0 / 1.5)  # Pareto, P(d > x) ~ x^-1.5
    for _ in range(5):  # scale to the mean, cap, and again
        weights *= mean / weights.mean()
        weights = np.minimum(weights, 20_000.0)
    probabilities = weights / weights.sum()
    # Member ids: a sparse-ish range (some accounts gone), assigned in random order.
    ids = np.sort(rng.choice(int(members * 1.05) + 1, size=members, replace=False).astype(np.int64) + 1)
    ids = ids[rng.permutation(members)]
    keys = np.zeros(0, np.int64)
    while keys.shape[0] < edges:
        # Configuration model: stubs drawn in proportion to the weights, shuffled, paired.
        stubs = int((edges - keys.shape[0]) * 1.1) * 2 + 2000
        ends = np.repeat(np.arange(members, dtype=np.int64), rng.multinomial(stubs, probabilities))
        rng.shuffle(ends)
        a, b = ends[0::2], ends[1::2]
        keep = a != b
        low, high = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
        keys = np.concatenate((keys, low * members + high))
        keys.sort()
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    if keys.shape[0] > edges:
        keys = keys[np.sort(rng.permutation(keys.shape[0])[:edges])]
    low_ids, high_ids = ids[keys // members], ids[keys % members]
    low, high = np.minimum(low_ids, high_ids), np.maximum(low_ids, high_ids)
    packed = (low << 32) | high
    packed.sort()
    return packed >> 32, packed & 0xFFFFFFFF


# ----------------------------------------------------------------------------------- databases


def configure(args) -> dict:
    """Point Django at the scratch database (before django.setup())."""
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["ENTREGENT_DATA_DIR"] = str(data_dir)
    if args.database == "postgres":
        import environ

        server = environ.Env.db_url_config(os.environ.get("DATABASE_URL") or args.postgres_url)
        url = "postgres://{user}{password}@{host}:{port}/{name}".format(
            user=server.get("USER") or "",
            password=(":" + server["PASSWORD"]) if server.get("PASSWORD") else "",
            host=server.get("HOST") or "127.0.0.1",
            port=server.get("PORT") or 5432,
            name=BENCH_DATABASE,
        )
        _ensure_postgres_database(server)
        os.environ["DATABASE_URL"] = url
        os.environ["DATABASE_POOL"] = "false"
        return {"engine": "PostgreSQL", "where": f"database {BENCH_DATABASE}", "marker": data_dir / "pg.json"}
    path = data_dir / "graph.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return {"engine": "SQLite", "where": str(path), "marker": data_dir / "sqlite.json"}


def _ensure_postgres_database(server: dict) -> None:
    import psycopg

    with psycopg.connect(
        host=server.get("HOST") or "127.0.0.1",
        port=server.get("PORT") or 5432,
        user=server.get("USER") or None,
        password=server.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')


def write_connections(low: np.ndarray, high: np.ndarray) -> None:
    """Replace every Connection row with these pairs, fast: indexes dropped during the load and
    rebuilt after, foreign-key checks off (the scratch database holds no member rows)."""
    from django.db import connection

    from entregent.network.models import Connection, GraphChange

    table = Connection._meta.db_table
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("PRAGMA journal_mode = OFF")
        raw.execute("PRAGMA synchronous = OFF")
        raw.execute("PRAGMA cache_size = -1000000")
        indexes = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            [table],
        ).fetchall()
        raw.execute("BEGIN")
        raw.execute(f'DELETE FROM "{table}"')  # noqa: S608
        raw.execute(f'DELETE FROM "{GraphChange._meta.db_table}"')  # noqa: S608
        for name, _sql in indexes:
            raw.execute(f'DROP INDEX "{name}"')
        # One statement per million rows: SQLite unpacks a JSON array of (low << 32 | high) itself.
        step = 1_000_000
        for start in range(0, low.shape[0], step):
            packed = (low[start : start + step].astype(np.int64) << 32) | high[start : start + step]
            raw.execute(
                f'INSERT INTO "{table}" (id, member_low_id, member_high_id, created_at) '  # noqa: S608
                "SELECT key + ?, value >> 32, value & 4294967295, ? FROM json_each(?)",
                (start + 1, "2024-01-01 00:00:00", "[" + ",".join(map(str, packed.tolist())) + "]"),
            )
        for _name, sql in indexes:
            raw.execute(sql)
        raw.execute("COMMIT")
        raw.execute("PRAGMA journal_mode = WAL")
        return
    with raw.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no foreign-key triggers
        cur.execute(f'TRUNCATE "{table}", "{GraphChange._meta.db_table}"')
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u'",
            [table],
        )
        constraints = cur.fetchall()
        for name, _definition in constraints:
            cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
            [table, "%_pkey"],
        )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        # Binary COPY: id, member_low_id, member_high_id as bigint, created_at as a timestamp.
        row = np.dtype(
            [("n", ">i2")]
            + [
                (f"{name}{part}", kind)
                for name in ("id", "low", "high", "at")
                for part, kind in (("l", ">i4"), ("", ">i8"))
            ]
        )
        with cur.copy(
            f'COPY "{table}" (id, member_low_id, member_high_id, created_at) FROM STDIN (FORMAT BINARY)'
        ) as copy:
            copy.write(b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big"))
            step = 1_000_000
            for start in range(0, low.shape[0], step):
                stop = min(start + step, low.shape[0])
                block = np.empty(stop - start, row)
                block["n"] = 4
                for name in ("id", "low", "high", "at"):
                    block[f"{name}l"] = 8
                block["id"] = np.arange(start + 1, stop + 1)
                block["low"] = low[start:stop]
                block["high"] = high[start:stop]
                block["at"] = 757_382_400_000_000  # 2024-01-01, µs since 2000-01-01
                copy.write(block.tobytes())
            copy.write((-1).to_bytes(2, "big", signed=True))
        for _name, definition in indexes:
            cur.execute(definition)
        for name, definition in constraints:
            cur.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), {max(low.shape[0], 1)})"  # noqa: S608
        )
        cur.execute("SET session_replication_role = DEFAULT")
    raw.commit()
    raw.autocommit = True
    with raw.cursor() as cur:
        cur.execute(f'VACUUM ANALYZE "{table}"')


# ------------------------------------------------------------------------------------------- run


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=25_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--igraph-pairs", type=int, default=30)
    parser.add_argument("--suggestions", type=int, default=100)
    parser.add_argument("--hubs", type=int, default=10)
    parser.add_argument("--lists", type=int, default=100, help="viewers for degrees(viewer, 20 ids)")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite",
    )
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--data-dir", default="/tmp/entregent-graph-bench")  # noqa: S108 - a scratch folder
    parser.add_argument("--no-networkit", action="store_true")
    parser.add_argument("--no-igraph", action="store_true")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the scratch database")
    parser.add_argument("--write-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    target = configure(args)
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entregent.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from entregent.network.graph import GraphIndex
    from entregent.network.graphindex import csr

    if not args.write_only:
        print(
            f"Graph index benchmark: {args.members:,} members, {args.edges:,} connections, {target['engine']}"
        )
        print(f"  scratch database: {target['where']}", flush=True)
    call_command("migrate", verbosity=0)

    wanted = {"members": args.members, "edges": args.edges, "seed": args.seed}
    marker: Path = target["marker"]
    if args.write_only:
        start = time.perf_counter()
        low, high = synthetic_network(args.members, args.edges, args.seed)
        print(f"  generated the network with numpy in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        write_connections(low, high)
        print(f"  wrote {low.shape[0]:,} Connection rows in {time.perf_counter() - start:.1f} s")
        marker.write_text(json.dumps(wanted))
        return
    current = json.loads(marker.read_text()) if marker.exists() else None
    if args.regenerate or current != wanted:
        marker.unlink(missing_ok=True)
        # In another process, so that this one's memory figures are about the index alone.
        connection.close()
        command = [sys.executable, __file__, "--write-only", *sys.argv[1:]]
        subprocess.run([c for c in command if c != "--regenerate"], check=True, env=os.environ)
    else:
        print("  reusing the scratch database written by an earlier run")
    connection.close()
    gc.collect()

    # Load (or compile, the first time) the kernels for the dtypes the build uses, outside the timing.
    start = time.perf_counter()
    tiny = GraphIndex(csr.build(np.array([1, 2], np.int32), np.array([2, 3], np.int32)))
    tiny.degree(1, 3), tiny.degrees(1, [2, 3]), tiny.friends_of_friends(1), tiny.mutual_ids(1, 3)
    print(
        f"  kernels ready in {time.perf_counter() - start:.1f} s (compiled once, then loaded from the cache)"
    )

    # ------------------------------------------------------------------------------------ build
    gc.collect()
    before = rss_bytes()
    reset_peak_rss()
    start = time.perf_counter()
    index = GraphIndex.build_from_db()
    build_seconds = time.perf_counter() - start
    gc.collect()
    after = rss_bytes()
    peak = peak_rss_bytes()
    snapshot = index._snapshot
    n = snapshot.n
    degrees = np.diff(snapshot.indptr)
    print()
    print(f"Index: {n:,} members, {index.edge_count:,} connections")
    print(
        f"  degree: mean {degrees.mean():.1f}, median {np.median(degrees):.0f}, p99 {np.percentile(degrees, 99):.0f}, "
        f"max {degrees.max():,}; {int((degrees > 1000).sum()):,} members past 1,000"
    )
    print(f"  build from the database ({target['engine']}): {build_seconds:.1f} s")
    print(
        f"  memory: arrays {mb(index.nbytes)}, process RSS +{mb(after - before)} after the build "
        f"(peak during the build +{mb(peak - before)})"
    )

    rng = random.Random(args.seed)
    ids = snapshot.ids[:n]
    pairs = [(int(ids[rng.randrange(n)]), int(ids[rng.randrange(n)])) for _ in range(args.pairs)]
    dense_of = {int(member): i for i, member in enumerate(ids.tolist())} if n <= 5_000_000 else None

    # ----------------------------------------------------------------------------------- degrees
    print()
    print(f"Degree of {args.pairs:,} random pairs (per query, from Python)")
    for a, b in pairs[:50]:
        index.degree(a, b)
    ours = []
    answers = []
    for a, b in pairs:
        answer, elapsed = timed(index.degree, a, b)
        ours.append(elapsed)
        answers.append(answer)
    our_p50, our_p99 = line("graph index degree(a, b)", ours)
    spread = {d: answers.count(d) for d in (1, 2, 3, None)}
    print(f"    answers: 1st {spread[1]}, 2nd {spread[2]}, 3rd {spread[3]}, beyond {spread[None]}")

    rows = None
    if not args.no_networkit or not args.no_igraph:
        sources = np.repeat(np.arange(n, dtype=np.int64), degrees)
        keep = sources < snapshot.indices[: snapshot.indptr[-1]]
        rows = (sources[keep], snapshot.indices[: snapshot.indptr[-1]][keep].astype(np.int64))
        del sources, keep

    nk_p50 = nk_p99 = None
    if not args.no_networkit:
        import networkit as nk

        nk.engineering.setNumberOfThreads(1)
        start = time.perf_counter()
        g = nk.Graph(n, weighted=False, directed=False)
        g.addEdges(rows)
        print(f"  (networkit graph built in {time.perf_counter() - start:.1f} s)")
        timings = []
        mismatches = 0
        for (a, b), answer in zip(pairs, answers, strict=True):
            start = time.perf_counter_ns()
            bfs = nk.distance.BidirectionalBFS(g, dense_of[a], dense_of[b], storePred=False)
            bfs.run()
            distance = bfs.getDistance()
            timings.append(time.perf_counter_ns() - start)
            expected = None if a == b or distance > 3 else int(distance)
            mismatches += expected != answer
        nk_p50, nk_p99 = line("networkit BidirectionalBFS (new object each)", timings)
        print(f"    answers differing from ours: {mismatches}")
        del g
        gc.collect()

    if not args.no_igraph:
        import igraph

        start = time.perf_counter()
        ig = igraph.Graph(n=n, edges=np.column_stack(rows), directed=False)
        print(f"  (igraph graph built in {time.perf_counter() - start:.1f} s)")
        timings = []
        for a, b in pairs[: args.igraph_pairs]:
            start = time.perf_counter_ns()
            ig.get_shortest_path(dense_of[a], dense_of[b])
            timings.append(time.perf_counter_ns() - start)
        line(f"igraph get_shortest_path ({args.igraph_pairs} pairs only)", timings)
        del ig
        gc.collect()
    del rows
    gc.collect()

    if nk_p50:
        print(
            f"  ratio ours / networkit: p50 {our_p50 / nk_p50:.2f}, p99 {our_p99 / nk_p99:.2f} (target p99 ≤ 0.5)"
        )

    # -------------------------------------------------------------------------- lists of members
    print()
    print(f"degrees(viewer, 20 members) for {args.lists} viewers")
    first, again = [], []
    for _ in range(args.lists):
        viewer = int(ids[rng.randrange(n)])
        listed = [int(ids[rng.randrange(n)]) for _ in range(20)]
        first.append(timed(index.degrees, viewer, listed)[1])
        listed = [int(ids[rng.randrange(n)]) for _ in range(20)]
        again.append(timed(index.degrees, viewer, listed)[1])
    line("first list of a viewer", first)
    line("next list (2nd-degree set kept)", again)

    # ------------------------------------------------------------------------------- suggestions
    print()
    print("Top-20 suggestions (friends of friends by mutual connections)")
    members = [int(ids[rng.randrange(n)]) for _ in range(args.suggestions)]
    for member in members[:10]:
        index.friends_of_friends(member, limit=20)
    timings = [timed(index.friends_of_friends, member, limit=20)[1] for member in members]
    line(f"{args.suggestions} random members", timings)
    hubs = np.argsort(degrees)[-args.hubs :][::-1]
    hub_ids = [int(ids[h]) for h in hubs]
    results = []
    timings = []
    for member in hub_ids:
        result, elapsed = timed(index.friends_of_friends, member, limit=20)
        results.append(result)
        timings.append(elapsed)
    line(
        f"the {args.hubs} best-connected ({int(degrees[hubs[-1]]):,}–{int(degrees[hubs[0]]):,} connections)",
        timings,
    )
    exact = GraphIndex(snapshot)
    exact.FOF_INTERMEDIARY_CAP = 1 << 30
    exact.FOF_BUDGET = 1 << 60
    exact.FOF_BUDGET_PER_CONNECTION = 0
    overlap = []
    exact_timings = []
    for member, result in zip(hub_ids, results, strict=True):
        reference, elapsed = timed(exact.friends_of_friends, member, limit=20)
        exact_timings.append(elapsed)
        overlap.append(len({m for m, _ in reference} & {m for m, _ in result}))
    line("the same, exact (no cap, no sampling)", exact_timings)
    print(
        f"    sampled hub top-20 vs exact top-20: {np.mean(overlap):.1f} members in common on average "
        f"(min {min(overlap)}); counts shown are exact mutual counts"
    )
    print(f"    e.g. member {hub_ids[0]}: {results[0][:5]}")


if __name__ == "__main__":
    main()
