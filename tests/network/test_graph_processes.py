"""Two real processes: an invitation accepted (and committed) in one is seen by the graph index of the
other, built before the change and following the change log with the default poll interval, within
one second. The processes share the test database: on PostgreSQL the test database itself (this test
commits for real), on SQLite a file copy of the in-memory test database."""

from __future__ import annotations

import os
import select
import sqlite3
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.db import connection

from entregent.network.models import Invitation
from tests.factories import member

WATCHER = """
import sys, time
import django
django.setup()
from entregent.network import graph

a, b = int(sys.argv[1]), int(sys.argv[2])
print("ready", graph.get_index().degree(a, b), flush=True)
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    if graph.get_index().degree(a, b) == 1:
        print("seen", time.time(), flush=True)
        break
    time.sleep(0.005)
else:
    print("timeout", flush=True)
"""

WRITER = """
import sys, time
import django
django.setup()
from entregent.network import services
from entregent.network.models import Invitation

invitation = Invitation.objects.select_related("recipient").get(pk=int(sys.argv[1]))
services.invitation_accept(invitation=invitation, member=invitation.recipient)
print(time.time(), flush=True)
"""


def _shared_database_url(tmp_path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(settings["USER"] or "")
        if settings["PASSWORD"]:
            credentials += ":" + quote(settings["PASSWORD"])
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        return f"postgres://{credentials}@{host}:{port}/{settings['NAME']}"
    assert connection.vendor == "sqlite"
    path = tmp_path / "shared.sqlite3"
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def _read_line(process: subprocess.Popen, timeout: float) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    if not ready:
        process.kill()
        pytest.fail(f"no answer from the watcher within {timeout} s: {process.stderr.read()}")
    line = process.stdout.readline().strip()
    if not line:
        pytest.fail(f"the watcher stopped: {process.stderr.read()}")
    return line


@pytest.mark.django_db(transaction=True)
def test_an_accepted_invitation_reaches_another_process_within_a_second(tmp_path):
    ann = member(first_name="Ann", slug="ann")
    ben = member(first_name="Ben", slug="ben")
    invitation = Invitation.objects.create(sender=ann, recipient=ben, note="Hello")
    env = {
        **os.environ,
        "DATABASE_URL": _shared_database_url(tmp_path),
        "DJANGO_SETTINGS_MODULE": "entregent.settings",
    }
    env.pop("GRAPH_POLL_SECONDS", None)
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCHER, str(ann.pk), str(ben.pk)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        # The first start may compile the index's kernels.
        assert _read_line(watcher, timeout=180) == "ready None"
        writer = subprocess.run(
            [sys.executable, "-c", WRITER, str(invitation.pk)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert writer.returncode == 0, writer.stderr
        committed = float(writer.stdout.strip())
        answer = _read_line(watcher, timeout=30)
        assert answer.startswith("seen"), answer
        seen = float(answer.split()[1])
        assert seen - committed <= 1.0, f"seen {seen - committed:.3f} s after the commit"
    finally:
        watcher.kill()
        watcher.wait(timeout=10)
