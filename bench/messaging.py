"""Messaging at 10,000 conversations and 1,000,000 messages: the inbox page, a conversation page and
message search, timed on SQLite and PostgreSQL in the same run.

    uv run python bench/messaging.py                                   # both databases, full size
    uv run python bench/messaging.py --conversations 1000 --messages 100000     # a quick try
    uv run python bench/messaging.py --databases sqlite                # one database

1. For each database, in a process of its own, points Django at a scratch database — an SQLite file
   under --data-dir, or the PostgreSQL database `entregent_messaging_bench` (created on the server
   of DATABASE_URL / --postgres-url) — and, unless an earlier run left the same sizes there, fills it:
   `migrate`, a demo network of --members members (`seed_network`, with profiles and connections),
   then conversations and messages generated with numpy and written in bulk (executemany on SQLite,
   COPY on PostgreSQL, with the secondary indexes, the search index and its triggers
   rebuilt once at the end — the statements of migration messaging 0002_search).
   Direct conversations join connected pairs drawn uniformly from the connections (so well-connected
   members have many), groups gather 3–8 members; messages per conversation follow a heavy-tailed law
   (a few conversations hold thousands); texts are French business chatter drawn with a Zipf law over
   ~3,500 words and names with accents, function words ("de", "vous", "pour"…) the most frequent.
2. Signs in as members through Django's test Client (the real middleware, views and templates, no
   network) and times each request: the inbox (messaging:inbox), a conversation page
   (messaging:conversation, the member's longest conversation and a random one) and search
   (messaging:search with an exact word, a typo, a prefix, two words, a frequent word and a word
   nobody wrote), for
   --sample members with a typical inbox and the --busiest members. Each URL is requested
   --repeat times after one untimed request. Also times `search_messages` alone.
3. Prints p50 / p95 / max per page and database, the number of SQL queries per page, and the
   ratios PostgreSQL / SQLite; targets: p95 ≤ 50 ms for the inbox and a conversation, ≤ 100 ms
   for search.

Not part of the test suite. Only ever uses scratch databases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = "entregent_messaging_bench"
TARGETS_MS = {"inbox": 50, "conversation": 50, "search": 100}

# Real text is mostly short function words; content words come after them in frequency (without
# them, the most frequent content word of a synthetic text is in 80 % of all messages).
FUNCTION_WORDS = (
    "de la le et à les des en un une du pour que qui dans est pas vous nous je il elle ce on au avec "
    "sur par plus ne se mais ou sont son sa ses leur très bien aussi fait être avoir tout comme si y "
    "a été cette mon ma mes votre vos notre nos lui ça merci bonjour oui non demain ici"
).split()
BUSINESS_WORDS = (
    "devis facture réunion contrat rendez-vous livraison planning budget candidature entretien "
    "recrutement proposition commande relance échéance paiement prestation mission chantier "
    "présentation démonstration partenariat salon conférence stage alternance télétravail "
    "déménagement fournisseur client prospect signature avenant maquette cahier charges "
    "référence recommandation disponibilité créneau visioconférence compte-rendu"
).split()


# ------------------------------------------------------------------------------------------ helpers


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values, dtype=np.float64), q)) if values else float("nan")


def summary(samples: list[float]) -> dict:
    return {
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "max": max(samples) if samples else float("nan"),
        "n": len(samples),
    }


def configure(engine: str, args) -> Path:
    """Point Django at this engine's scratch database (before django.setup()); returns the marker
    file that says what the database holds."""
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["ENTREGENT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entregent.settings")
    if engine == "postgres":
        import environ

        server = environ.Env.db_url_config(args.postgres_url)
        os.environ["DATABASE_URL"] = "postgres://{user}{password}@{host}:{port}/{name}".format(
            user=server.get("USER") or "",
            password=(":" + server["PASSWORD"]) if server.get("PASSWORD") else "",
            host=server.get("HOST") or "127.0.0.1",
            port=server.get("PORT") or 5432,
            name=BENCH_DATABASE,
        )
        os.environ["DATABASE_POOL"] = "false"
        os.environ["CONN_MAX_AGE"] = "600"
        return data_dir / "postgres.json"
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'messaging.sqlite3'}"
    return data_dir / "sqlite.json"


def _postgres_server(args) -> dict:
    import environ

    server = environ.Env.db_url_config(args.postgres_url)
    return {
        "host": server.get("HOST") or "127.0.0.1",
        "port": server.get("PORT") or 5432,
        "user": server.get("USER") or None,
        "password": server.get("PASSWORD") or None,
    }


def reset_database(engine: str, args) -> None:
    """Start the scratch database over (it only ever holds benchmark data)."""
    if engine == "postgres":
        import psycopg

        with psycopg.connect(**_postgres_server(args), dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
        return
    path = Path(args.data_dir) / "messaging.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# ------------------------------------------------------------------------------------- generation


def vocabulary(rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    """Words and their Zipf weights: function words first, then the rest in a shuffled order (so
    business words are neither all frequent nor all rare)."""
    from faker.providers.lorem.fr_FR import Provider as FrenchWords
    from faker.providers.person.fr_FR import Provider as FrenchPeople

    words = list(
        dict.fromkeys(
            BUSINESS_WORDS
            + list(FrenchWords.word_list)
            + list(FrenchPeople.first_names)
            + list(FrenchPeople.last_names)
        )
    )
    words = [w for w in words if w not in FUNCTION_WORDS]
    order = rng.permutation(len(words))
    words = FUNCTION_WORDS + [words[i] for i in order]
    weights = 1.0 / np.arange(1, len(words) + 1) ** 1.05
    return words, weights / weights.sum()


def generate(args, member_ids: list[int], pairs: np.ndarray, now: dt.datetime) -> dict:
    """Conversations, their participants and messages as plain Python rows (no database)."""
    from entregent.core.text import fold

    rng = np.random.default_rng(args.seed)
    conversations = args.conversations
    groups = int(conversations * args.group_share)
    directs = conversations - groups
    if pairs.shape[0] >= directs:
        chosen = pairs[rng.choice(pairs.shape[0], size=directs, replace=False)]
    else:  # a small network: random pairs make up the difference
        extra = rng.choice(np.array(member_ids), size=(directs - pairs.shape[0], 2))
        chosen = np.vstack([pairs, extra])
    members_of: list[list[int]] = [sorted({int(a), int(b)}) for a, b in chosen]
    ids = np.array(member_ids)
    for _ in range(groups):
        size = int(rng.integers(3, 9))
        members_of.append(sorted(int(m) for m in rng.choice(ids, size=size, replace=False)))

    # Messages per conversation: lognormal weights, at least one each, exactly `messages` in all.
    raw = rng.lognormal(mean=0.0, sigma=1.3, size=conversations)
    counts = 1 + rng.multinomial(args.messages - conversations, raw / raw.sum()).astype(np.int64)
    total = int(counts.sum())

    span = 730 * 86400.0
    starts = rng.uniform(0, span, size=conversations)  # seconds before now the conversation began
    conversation_of = np.repeat(np.arange(conversations), counts)
    ages = rng.uniform(0, 1, size=total) * starts[conversation_of]  # within its conversation's life
    ages = np.minimum(ages, starts[conversation_of])
    order = np.argsort(-ages, kind="stable")  # oldest first: message ids grow with time
    conversation_of, ages = conversation_of[order], ages[order]

    words, weights = vocabulary(rng)
    folded_words = [fold(w) for w in words]
    lengths = np.clip(rng.lognormal(mean=2.5, sigma=0.6, size=total).astype(np.int64), 2, 120)
    picks = rng.choice(len(words), size=int(lengths.sum()), p=weights)
    endings = rng.choice([".", "?", "!", " :)", ""], size=total, p=[0.6, 0.2, 0.05, 0.05, 0.1])
    commas = rng.random(size=int(lengths.sum())) < 0.08
    bodies: list[str] = []
    folded: list[str] = []
    position = 0
    for n, ending in zip(lengths.tolist(), endings.tolist(), strict=True):
        chunk = picks[position : position + n].tolist()
        comma = commas[position : position + n].tolist()
        position += n
        text = " ".join(words[i] + ("," if c else "") for i, c in zip(chunk, comma, strict=True))
        bodies.append(text[:1].upper() + text[1:1999] + ending)
        folded.append(
            " ".join(folded_words[i] + ("," if c else "") for i, c in zip(chunk, comma, strict=True))[:1999]
            + ending
        )
    senders = np.empty(total, dtype=np.int64)
    sizes = np.array([len(m) for m in members_of])
    which = (rng.random(total) * sizes[conversation_of]).astype(np.int64)
    flat = [m for ms in members_of for m in ms]
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    senders[:] = np.array(flat)[offsets[conversation_of] + which]
    return {
        "members_of": members_of,
        "starts": starts,
        "conversation_of": conversation_of,
        "ages": ages,
        "bodies": bodies,
        "folded": folded,
        "senders": senders,
        "groups": groups,
        "words": words,
    }


def _when(now: dt.datetime, seconds_ago: float, vendor: str):
    value = now - dt.timedelta(seconds=float(seconds_ago))
    if vendor == "sqlite":
        return str(value.astimezone(dt.UTC).replace(tzinfo=None))
    return value


def write(data: dict, now: dt.datetime) -> None:
    """Write conversations, participants and messages in bulk, then rebuild indexes and the search
    index once."""
    from django.db import connection

    from entregent.messaging.models import Conversation, Message, Participant

    migration = importlib.import_module("entregent.messaging.migrations.0002_search")
    vendor = connection.vendor
    members_of, starts = data["members_of"], data["starts"]
    conversation_of, ages, senders = data["conversation_of"], data["ages"], data["senders"]
    total = len(data["bodies"])
    conversations = len(members_of)
    direct_count = conversations - data["groups"]
    rng = random.Random(7)

    # After whatever the demo seed wrote (it gives the demo logins a few conversations).
    from django.db.models import Max

    conversation_base = Conversation.objects.aggregate(m=Max("id"))["m"] or 0
    participant_base = Participant.objects.aggregate(m=Max("id"))["m"] or 0
    message_base = Message.objects.aggregate(m=Max("id"))["m"] or 0
    taken_pairs = set(Conversation.objects.exclude(pair_key="").values_list("pair_key", flat=True))

    last_id = np.zeros(conversations, dtype=np.int64)
    last_age = np.zeros(conversations)
    np.maximum.at(last_id, conversation_of, np.arange(1, total + 1))
    last_age = ages[last_id - 1]

    conversation_rows = []
    for c, members in enumerate(members_of):
        group = c >= direct_count
        pair = "" if group else f"{members[0]}:{members[-1]}"
        if pair in taken_pairs:
            pair = ""
        taken_pairs.add(pair)
        conversation_rows.append(
            {
                "id": conversation_base + c + 1,
                "kind": "group" if group else "direct",
                "name": f"Projet {data['words'][c % len(data['words'])]}" if group else "",
                "subject": "",
                "created_by_id": members[0],
                "created_at": _when(now, starts[c], vendor),
                "pair_key": pair,
                "introduction_id": None,
                "last_message_at": _when(now, last_age[c], vendor),
                "last_message_id": message_base + int(last_id[c]),
                "inmail_sender_id": None,
                "inmail_credit_spent": False,
                "inmail_refundable_until": None,
                "inmail_answered_at": None,
                "inmail_credit_refunded": False,
            }
        )
    participant_rows = []
    for c, members in enumerate(members_of):
        last = _when(now, last_age[c], vendor)
        for member in members:
            unread = rng.random() < 0.1
            participant_rows.append(
                {
                    "id": participant_base + len(participant_rows) + 1,
                    "conversation_id": conversation_base + c + 1,
                    "member_id": member,
                    "joined_at": _when(now, starts[c], vendor),
                    "left_at": None,
                    "last_message_at": last,
                    "last_read_at": None if unread else last,
                    "unread_count": rng.randint(1, 5) if unread else 0,
                    "marked_unread": False,
                    "folder": "other" if rng.random() < 0.1 else "focused",
                    "archived": rng.random() < 0.05,
                    "starred": rng.random() < 0.03,
                    "muted": False,
                    "hidden": False,
                    "marked_spam": False,
                    "snoozed_until": None,
                    "remind_at": None,
                    "remind_from": None,
                    "reminded_at": None,
                    "last_emailed_at": None,
                }
            )

    def message_rows():
        for i in range(total):
            yield {
                "id": message_base + i + 1,
                "conversation_id": conversation_base + int(conversation_of[i]) + 1,
                "sender_id": int(senders[i]),
                "kind": "text",
                "body": data["bodies"][i],
                "data": "{}",
                "created_at": _when(now, ages[i], vendor),
                "edited_at": None,
                "deleted_at": None,
                "search_text": data["folded"][i],
            }

    tables = [
        (Conversation, conversation_rows),
        (Participant, participant_rows),
        (Message, message_rows()),
    ]
    connection.ensure_connection()
    raw = connection.connection
    message_table = Message._meta.db_table
    if vendor == "sqlite":
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("PRAGMA journal_mode = OFF")
        raw.execute("PRAGMA synchronous = OFF")
        raw.execute("PRAGMA cache_size = -1000000")
        indexes = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            [message_table],
        ).fetchall()
        raw.execute("BEGIN")
        for statement in migration.SQLITE_DROP:
            raw.execute(statement)
        for name, _sql in indexes:
            raw.execute(f'DROP INDEX "{name}"')
        for model, rows in tables:
            columns = [f.column for f in model._meta.concrete_fields]
            sql = (
                f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '  # noqa: S608
                f"VALUES ({', '.join('?' * len(columns))})"
            )
            raw.executemany(sql, ([row[c] for c in columns] for row in rows))
        for _name, sql in indexes:
            raw.execute(sql)
        for statement in migration.SQLITE_CREATE + [migration.SQLITE_FILL]:
            raw.execute(statement)
        raw.execute("COMMIT")
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("ANALYZE")
        return
    with raw.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no foreign-key or search-word triggers
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
            [message_table, "%_pkey"],
        )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        for model, rows in tables:
            columns = [f.column for f in model._meta.concrete_fields]
            with cur.copy(f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        for _name, definition in indexes:
            cur.execute(definition)
        cur.execute(migration.POSTGRES_FILL)
        for model, count in (
            (Conversation, conversation_base + conversations),
            (Participant, participant_base + len(participant_rows)),
            (Message, message_base + total),
        ):
            table = model._meta.db_table
            cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), {max(count, 1)})")  # noqa: S608
        cur.execute("SET session_replication_role = DEFAULT")
    raw.commit()
    raw.autocommit = True
    with raw.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def fill(args, marker: Path) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from entregent.demo.writer import seed_network
    from entregent.network.models import Connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.1f} s", flush=True)
    step = time.perf_counter()
    seed_network(members=args.members, seed=args.seed)
    print(
        f"  seeded {args.members:,} members with profiles and connections in {time.perf_counter() - step:.1f} s",
        flush=True,
    )
    from entregent.accounts.models import User

    member_ids = list(User.objects.filter(profile__isnull=False).order_by("pk").values_list("pk", flat=True))
    pairs = np.array(list(Connection.objects.values_list("member_low_id", "member_high_id")), dtype=np.int64)
    now = timezone.now()
    step = time.perf_counter()
    data = generate(args, member_ids, pairs.reshape(-1, 2), now)
    print(
        f"  generated {args.conversations:,} conversations and {len(data['bodies']):,} messages in {time.perf_counter() - step:.1f} s",
        flush=True,
    )
    step = time.perf_counter()
    write(data, now)
    connection.close()
    print(
        f"  wrote them with the indexes and the search index in {time.perf_counter() - step:.1f} s",
        flush=True,
    )
    marker.write_text(json.dumps(wanted(args)))


def wanted(args) -> dict:
    return {
        "members": args.members,
        "conversations": args.conversations,
        "messages": args.messages,
        "seed": args.seed,
        "group_share": args.group_share,
        "corpus": 2,
    }


# ---------------------------------------------------------------------------------------- measuring


def database_size(vendor: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "sqlite":
            path = Path(connection.settings_dict["NAME"])
            total = path.stat().st_size
            try:
                cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'messaging_message_fts%'")
                fts = cursor.fetchone()[0] or 0
                return f"file {total / 1e6:,.0f} MB, of which search index {fts / 1e6:,.0f} MB"
            except Exception:  # noqa: BLE001 - dbstat is optional
                return f"file {total / 1e6:,.0f} MB"
        cursor.execute(
            "SELECT pg_database_size(current_database()), "
            "pg_relation_size('messaging_message_search_trgm'), pg_total_relation_size('messaging_search_word')"
        )
        total, trgm, words = cursor.fetchone()
        return (
            f"database {total / 1e6:,.0f} MB, of which trigram index {trgm / 1e6:,.0f} MB, "
            f"written words {words / 1e6:,.0f} MB"
        )


def typo(word: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped in the middle of the word."""
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def measure(args) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from entregent.messaging import search
    from entregent.messaging.models import Message, Participant
    from entregent.network import graph

    vendor = connection.vendor
    rng = random.Random(args.seed)
    graph.get_index()  # built once per process, as a server does at start

    counts = dict(
        Participant.objects.filter(hidden=False)
        .values("member_id")
        .annotate(n=Count("id"))
        .values_list("member_id", "n")
    )
    by_size = sorted(counts, key=lambda m: counts[m])
    busiest = by_size[-args.busiest :]
    typical_pool = by_size[len(by_size) // 4 : len(by_size) * 3 // 4] or by_size
    typical = rng.sample(typical_pool, min(args.sample, len(typical_pool)))
    print(
        f"  members with conversations: {len(counts):,}; conversations per member: median "
        f"{counts[by_size[len(by_size) // 2]]}, max {counts[by_size[-1]]} "
        f"(measured: {len(typical)} typical members with {min(counts[m] for m in typical)}–"
        f"{max(counts[m] for m in typical)} conversations, the {len(busiest)} busiest with "
        f"{counts[busiest[0]]}–{counts[busiest[-1]]})",
        flush=True,
    )

    try:
        reverse("messaging:inbox")
        pages = True
    except Exception:  # noqa: BLE001 - the pages are another part's; fall back to their selectors
        pages = False

    samples: dict[str, dict[str, list[float]]] = {
        group: {"inbox": [], "conversation": [], "search": [], "search_function": []}
        for group in ("typical", "busiest")
    }
    queries: dict[str, int] = {}
    search_kinds: dict[str, list[float]] = {}
    client = Client()

    def timed_get(url: str, params: dict | None = None) -> tuple[float, int, int]:
        start = time.perf_counter()
        response = client.get(url, params or {})
        elapsed = (time.perf_counter() - start) * 1000
        return elapsed, response.status_code, len(response.content)

    # The floor: a view that touches nothing, through the same client and middleware.
    baseline = []
    for _ in range(50):
        baseline.append(timed_get(reverse("healthz"))[0])

    for group, members in (("typical", typical), ("busiest", busiest)):
        for member_id in members:
            from entregent.accounts.models import User

            member = User.objects.get(pk=member_id)
            client.force_login(member)
            mine = list(
                Participant.objects.filter(member=member, hidden=False).values_list(
                    "conversation_id", flat=True
                )
            )
            longest = (
                Message.objects.filter(conversation_id__in=mine)
                .values("conversation_id")
                .annotate(n=Count("id"))
                .order_by("-n")
                .values_list("conversation_id", flat=True)
                .first()
            )
            conversation_ids = [longest, rng.choice(mine)]
            # Queries from the member's own messages: an exact word, a typo, a prefix, two words.
            texts = list(
                Message.objects.filter(conversation_id__in=mine)
                .order_by("?")
                .values_list("search_text", flat=True)[:5]
            )
            words = [w for t in texts for w in search._WORD.findall(t) if len(w) >= 6 and w.isalpha()]
            words = words or ["devis", "planning"]
            one, two = rng.choice(words), rng.choice(words)
            queries_for = {
                "exact word": one,
                "typo": typo(one, rng),
                "prefix": one[:4],
                "two words": f"{one} {two}",
                "frequent word": "bonjour",
                "nobody wrote it": "zeppelinxq",
            }
            if pages:
                inbox_url = reverse("messaging:inbox")
                timed_get(inbox_url)
                for _ in range(args.repeat):
                    elapsed, status, _size = timed_get(inbox_url)
                    assert status == 200, status
                    samples[group]["inbox"].append(elapsed)
                for conversation_id in conversation_ids:
                    url = reverse("messaging:conversation", args=[conversation_id])
                    timed_get(url)
                    for _ in range(args.repeat):
                        elapsed, status, _size = timed_get(url)
                        assert status == 200, status
                        samples[group]["conversation"].append(elapsed)
                if "inbox" not in queries:
                    with CaptureQueriesContext(connection) as captured:
                        client.get(inbox_url)
                    queries["inbox"] = len(captured)
                    with CaptureQueriesContext(connection) as captured:
                        client.get(reverse("messaging:conversation", args=[conversation_ids[0]]))
                    queries["conversation"] = len(captured)
            else:
                from entregent.messaging import selectors

                for _ in range(args.repeat + 1):
                    start = time.perf_counter()
                    list(selectors.inbox_for(member)[:20])
                    samples[group]["inbox"].append((time.perf_counter() - start) * 1000)
                    for conversation_id in conversation_ids:
                        start = time.perf_counter()
                        participant = selectors.participant_of(member, conversation_id)
                        selectors.messages_of(participant.conversation)
                        samples[group]["conversation"].append((time.perf_counter() - start) * 1000)
            search_url = reverse("messaging:search")
            for kind, query in queries_for.items():
                timed_get(search_url, {"q": query})
                for _ in range(args.repeat):
                    elapsed, status, _size = timed_get(search_url, {"q": query})
                    assert status == 200, status
                    samples[group]["search"].append(elapsed)
                    search_kinds.setdefault(kind, []).append(elapsed)
                    start = time.perf_counter()
                    search.search_messages(member, query)
                    samples[group]["search_function"].append((time.perf_counter() - start) * 1000)
            if "search" not in queries:
                with CaptureQueriesContext(connection) as captured:
                    client.get(search_url, {"q": queries_for["two words"]})
                queries["search"] = len(captured)
    return {
        "vendor": vendor,
        "load": os.getloadavg()[0],
        "pages": pages,
        "size": database_size(vendor),
        "healthz": summary(baseline),
        "queries": queries,
        "typical": {page: summary(values) for page, values in samples["typical"].items()},
        "busiest": {page: summary(values) for page, values in samples["busiest"].items()},
        "all": {
            page: summary(samples["typical"][page] + samples["busiest"][page]) for page in samples["typical"]
        },
        "search_kinds": {kind: summary(values) for kind, values in search_kinds.items()},
    }


def child(engine: str, args) -> None:
    marker = configure(engine, args)
    sys.path.insert(0, str(ROOT / "src"))
    current = json.loads(marker.read_text()) if marker.exists() else None
    if args.regenerate or current != wanted(args):
        marker.unlink(missing_ok=True)
        reset_database(engine, args)
        fresh = True
    else:
        fresh = False
    import django

    django.setup()
    print(f"\n{'SQLite' if engine == 'sqlite' else 'PostgreSQL'}", flush=True)
    if fresh:
        fill(args, marker)
    else:
        print("  reusing the scratch database of an earlier run", flush=True)
    result = measure(args)
    print("RESULT " + json.dumps(result), flush=True)


# --------------------------------------------------------------------------------------------- main


def fmt(value: float) -> str:
    return f"{value:7.1f}"


def report(results: dict[str, dict], args) -> None:
    print()
    print(
        f"Messaging, {args.conversations:,} conversations, {args.messages:,} messages, {args.members:,} members "
        "(server time per request through Django's test Client, ms)"
    )
    engines = list(results)
    for engine in engines:
        r = results[engine]
        print(
            f"  {engine}: {r['size']}; SQL queries per page: {r['queries']}; "
            f"load average after the run {r['load']:.1f} on {os.cpu_count()} CPUs"
        )
        print(
            f"    floor (/healthz through the same client): p50 {r['healthz']['p50']:.1f} ms; "
            + ", ".join(
                f"{page} p50 = {r['all'][page]['p50'] / r['healthz']['p50']:.0f}× the floor"
                for page in ("inbox", "conversation", "search")
            )
        )
        if not r["pages"]:
            print("    (the inbox and conversation views are not there yet: timed their selectors instead)")
    header = f"  {'page':<28}" + "".join(f"{e + ' p50':>14}{e + ' p95':>14}" for e in engines)
    if len(engines) == 2:
        header += f"{'p95 ratio pg/sqlite':>22}"
    header += f"{'target p95':>12}"
    print(header)
    rows = [
        ("inbox", "all", "inbox"),
        ("conversation", "all", "conversation"),
        ("search page", "all", "search"),
        ("  typical members", "typical", "search"),
        ("  busiest members", "busiest", "search"),
        ("search_messages() alone", "all", "search_function"),
        ("inbox, busiest members", "busiest", "inbox"),
        ("conversation, busiest", "busiest", "conversation"),
    ]
    for label, group, page in rows:
        line = f"  {label:<28}"
        for engine in engines:
            s = results[engine][group][page]
            line += f"{fmt(s['p50']):>14}{fmt(s['p95']):>14}"
        if len(engines) == 2:
            a, b = (results[e][group][page]["p95"] for e in engines)
            line += f"{(b / a if a else float('nan')):>22.2f}"
        target = TARGETS_MS.get(page.replace("search_function", "search"))
        line += f"{('≤ ' + str(target)) if target else '':>12}"
        print(line)
    print("  search by kind of query (p50 / p95):")
    for kind in results[engines[0]]["search_kinds"]:
        line = f"    {kind:<26}"
        for engine in engines:
            s = results[engine]["search_kinds"][kind]
            line += f"{fmt(s['p50']):>14}{fmt(s['p95']):>14}"
        print(line)
    verdicts = []
    for engine in engines:
        for page, target in TARGETS_MS.items():
            p95 = results[engine]["all"][page]["p95"]
            verdicts.append(f"{engine} {page} p95 {p95:.1f} ms {'≤' if p95 <= target else '>'} {target}")
    print("  " + "; ".join(verdicts))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=3_000)
    parser.add_argument("--group-share", type=float, default=0.15, help="share of group conversations")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sample", type=int, default=20, help="members with a typical inbox")
    parser.add_argument("--busiest", type=int, default=5, help="members with the most conversations")
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per URL")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("DATABASE_URL", "")
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--data-dir", default="/tmp/entregent-messaging-bench")  # noqa: S108 - a scratch folder
    parser.add_argument("--regenerate", action="store_true", help="rewrite the scratch databases")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return

    results: dict[str, dict] = {}
    for engine in [e.strip() for e in args.databases.split(",") if e.strip()]:
        command = [sys.executable, __file__, "--child", engine, *sys.argv[1:]]
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
        with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as process:
            for line in process.stdout:
                if line.startswith("RESULT "):
                    results[engine] = json.loads(line[7:])
                else:
                    print(line, end="", flush=True)
        if process.returncode:
            raise SystemExit(f"the {engine} run failed (exit status {process.returncode})")
    report(results, args)


if __name__ == "__main__":
    main()
