"""Live updates: the hub delivers a change to each member's open connections with their unread count;
the Server-Sent Events stream (through real ASGI requests) starts with a retry hint and the current
count, brings a new message within 2 seconds, keeps the connection alive, needs a signed-in member and
ends cleanly when the client goes away; with Redis, a message sent in one process reaches a member
connected to another (a uvicorn server) within 2 seconds."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import AsyncClient
from django.urls import reverse
from django.utils import timezone

from entregent.messaging import live, selectors, services, views_live
from tests.network.test_graph_processes import _shared_database_url

pytestmark = pytest.mark.django_db

EVENTS = "/messaging/live/events/"
REDIS_URL = (
    os.environ.get("ENTREGENT_TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
)


def _redis_or_skip() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as error:
        if os.environ.get("ENTREGENT_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis unreachable at {REDIS_URL}: {error}")
        pytest.skip(
            f"Redis unreachable at {REDIS_URL} ({error}); set ENTREGENT_REQUIRE_REDIS=1 to fail instead"
        )
    return REDIS_URL


@pytest.fixture(autouse=True)
def _own_channels(settings):
    """Channels of this test's own, should REDIS_URL be set: test runs side by side share a Redis, and
    their member ids are the same."""
    settings.MESSAGING_LIVE_PREFIX = f"entregent-test-{uuid.uuid4().hex}:"
    yield
    live.hub.shutdown()


@pytest.fixture
def with_redis(settings):
    """Live updates through Redis."""
    settings.REDIS_URL = _redis_or_skip()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a message as services do, with what happens after commit (live events, mail tasks)."""

    def send_message(sender, recipient, body="Hello"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.conversation_start(sender=sender, recipients=[recipient], body=body)

    return send_message


def _parse(chunks: list[bytes]) -> list[dict]:
    """The data events in an event stream (comments and retry hints left out)."""
    events = []
    for block in b"".join(chunks).decode().split("\n\n"):
        data = [line[5:].strip() for line in block.splitlines() if line.startswith("data:")]
        if data:
            events.append(json.loads("\n".join(data)))
    return events


# --------------------------------------------------------------------------------------------- hub


def test_a_change_reaches_each_member_listening_with_their_unread_count(pair, send):
    ann, ben = pair
    with live.hub.subscribe_sync(ann.pk) as ann_listens, live.hub.subscribe_sync(ben.pk) as ben_listens:
        assert ann_listens.ready(2) and ben_listens.ready(2)
        conversation, message = send(ann, ben)
        assert ben_listens.get(timeout=2) == {
            "conversation": conversation.pk,
            "message": message.pk,
            "unread": 1,
        }
        assert ann_listens.get(timeout=2) == {
            "conversation": conversation.pk,
            "message": message.pk,
            "unread": 0,
        }
    assert live.hub.listening(ann.pk) == 0 and live.hub.listening(ben.pk) == 0


def test_a_member_with_two_pages_open_hears_on_both_and_others_hear_nothing(pair, cat, send):
    ann, ben = pair
    with (
        live.hub.subscribe_sync(ben.pk) as tab1,
        live.hub.subscribe_sync(ben.pk) as tab2,
        live.hub.subscribe_sync(cat.pk) as stranger,
    ):
        conversation, _ = send(ann, ben)
        assert tab1.get(timeout=2)["conversation"] == conversation.pk
        assert tab2.get(timeout=2)["conversation"] == conversation.pk
        assert stranger.get(timeout=0.2) is None


def test_the_unread_count_sent_is_the_top_bars(pair, cat, send):
    ann, ben = pair
    from tests.factories import connect

    connect(ben, cat)
    connect(ann, cat)
    first, _ = send(ann, ben)
    second, _ = send(cat, ben)
    services.conversation_archive(conversation=first, member=ben)
    third, _ = send(ann, cat)
    services.conversation_snooze(conversation=third, member=cat, until=timezone.now() + dt.timedelta(days=1))
    services.conversation_mark_unread(conversation=second, member=cat)
    counts = live.unread_counts([ann.pk, ben.pk, cat.pk])
    assert counts == {m.pk: selectors.unread_conversations(m) for m in (ann, ben, cat)}
    assert counts[ben.pk] == 1


def test_a_stalled_connection_is_told_to_resync_instead_of_growing(pair):
    ann, _ben = pair
    with live.hub.subscribe_sync(ann.pk) as listening:
        for n in range(live.QUEUE_SIZE + 5):
            live.hub.deliver_local(ann.pk, {"conversation": n, "message": None, "unread": 0})
        assert listening.queue.qsize() <= live.QUEUE_SIZE
        assert live.RESYNC in list(listening.queue.queue)


def test_a_publish_failure_never_breaks_the_message(pair, send, monkeypatch):
    ann, ben = pair

    def broken(_ids):
        raise RuntimeError("database gone")

    monkeypatch.setattr(live, "unread_counts", broken)
    conversation, message = send(ann, ben, "Still sent")
    conversation.refresh_from_db()
    assert message.pk and conversation.last_message_id == message.pk


def test_without_redis_reachable_the_process_still_hears_its_own_changes(pair, settings):
    ann, _ben = pair
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    with live.hub.subscribe_sync(ann.pk) as listening:
        live.hub.publish(ann.pk, {"conversation": 1, "message": 2, "unread": 3})
        assert listening.get(timeout=2) == {"conversation": 1, "message": 2, "unread": 3}


def test_through_redis_a_subscriber_is_ready_then_hears_within_two_seconds(pair, with_redis):
    ann, _ben = pair
    with live.hub.subscribe_sync(ann.pk) as listening:
        assert listening.ready(2), "Redis did not confirm the member's channel"
        published = time.monotonic()
        live.hub.publish(ann.pk, {"conversation": 7, "message": 8, "unread": 1})
        assert listening.get(timeout=2) == {"conversation": 7, "message": 8, "unread": 1}
        assert time.monotonic() - published < 2
    # The relay leaves the channel once nobody listens here.
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and ann.pk in live.hub._relay.confirmed:
        time.sleep(0.02)
    assert ann.pk not in live.hub._relay.confirmed


def test_through_redis_a_group_message_reaches_every_member(
    ann, ben, cat, with_redis, django_capture_on_commit_callbacks
):
    from tests.factories import connect

    connect(ann, ben)
    connect(ann, cat)
    listeners = {m.pk: live.hub.subscribe_sync(m.pk) for m in (ann, ben, cat)}
    try:
        assert all(listening.ready(2) for listening in listeners.values())
        with django_capture_on_commit_callbacks(execute=True):
            conversation, message = services.conversation_start(
                sender=ann, recipients=[ben, cat], body="Hello both"
            )
        events = {pk: listening.get(timeout=2) for pk, listening in listeners.items()}
    finally:
        for listening in listeners.values():
            listening.close()
    assert events == {
        ann.pk: {"conversation": conversation.pk, "message": message.pk, "unread": 0},
        ben.pk: {"conversation": conversation.pk, "message": message.pk, "unread": 1},
        cat.pk: {"conversation": conversation.pk, "message": message.pk, "unread": 1},
    }


# -------------------------------------------------------------------------------- the event stream


def test_the_stream_needs_a_signed_in_member(client):
    response = client.get(reverse("messaging:live_events"))
    assert response.status_code == 403
    response = async_to_sync(AsyncClient().get)(reverse("messaging:live_events"))
    assert response.status_code == 403


def test_the_asgi_stream_starts_with_the_count_then_brings_a_message_within_two_seconds(
    pair, django_capture_on_commit_callbacks
):
    ann, ben = pair
    services.conversation_start(sender=ann, recipients=[ben], body="Earlier")  # one unread already
    client = AsyncClient()
    client.force_login(ben)

    def write():
        with django_capture_on_commit_callbacks(execute=True):
            return services.conversation_start(sender=ann, recipients=[ben], body="Now")

    async def run():
        response = await client.get(EVENTS)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        assert "no-cache" in response["Cache-Control"]
        stream = response.streaming_content.__aiter__()
        chunks = [await asyncio.wait_for(stream.__anext__(), 5) for _ in range(2)]
        assert chunks[0].startswith(b"retry: ")
        assert _parse(chunks) == [{"hello": True, "conversation": None, "message": None, "unread": 1}]
        assert live.hub.listening(ben.pk) == 1
        conversation, message = await sync_to_async(write)()
        written = time.monotonic()
        chunk = await asyncio.wait_for(stream.__anext__(), 2)
        assert time.monotonic() - written < 2
        await stream.aclose()
        return conversation, message, _parse([chunk])

    conversation, message, events = async_to_sync(run)()
    assert events == [{"conversation": conversation.pk, "message": message.pk, "unread": 1}]
    assert live.hub.listening(ben.pk) == 0


def test_a_quiet_stream_sends_heartbeat_comments(pair, monkeypatch):
    _ann, ben = pair
    monkeypatch.setattr(views_live, "HEARTBEAT_SECONDS", 0.05)
    client = AsyncClient()
    client.force_login(ben)

    async def run():
        response = await client.get(EVENTS)
        stream = response.streaming_content.__aiter__()
        chunks = [await asyncio.wait_for(stream.__anext__(), 5) for _ in range(3)]
        await stream.aclose()
        return chunks

    assert async_to_sync(run)()[2] == b": keep-alive\n\n"


def test_the_stream_ends_cleanly_when_the_client_disconnects(pair, client):
    """A real ASGI request (as uvicorn makes it): the client goes away after the first event; the
    handler returns and the member's connection leaves the hub."""
    _ann, ben = pair
    client.force_login(ben)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": EVENTS,
        "raw_path": EVENTS.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"cookie", cookie), (b"accept", b"text/event-stream")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def run():
        sent: list[dict] = []
        gone = asyncio.Event()
        requested = False

        async def receive():
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await gone.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)
            if b'"hello"' in message.get("body", b""):
                assert live.hub.listening(ben.pk) == 1
                gone.set()

        await asyncio.wait_for(ASGIHandler()(scope, receive, send), 5)
        return sent

    # As Django's test client does: the test's own database connection stays open across the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        sent = async_to_sync(run)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    start = sent[0]
    assert start["status"] == 200
    headers = {name.lower(): value for name, value in start["headers"]}
    assert headers[b"content-type"] == b"text/event-stream; charset=utf-8"
    assert live.hub.listening(ben.pk) == 0


def test_under_wsgi_the_stream_is_short_and_asks_for_a_quick_reconnection(pair, client, monkeypatch):
    ann, ben = pair
    monkeypatch.setattr(views_live, "WSGI_STREAM_SECONDS", 0.3)
    client.force_login(ben)
    response = client.get(EVENTS)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
    chunks = list(response.streaming_content)
    assert chunks[0] == f"retry: {views_live.WSGI_RETRY_MS}\n\n".encode()
    assert _parse(chunks) == [{"hello": True, "conversation": None, "message": None, "unread": 0}]
    assert live.hub.listening(ben.pk) == 0


def test_under_wsgi_a_message_arrives_while_the_stream_is_open(pair, client, send):
    ann, ben = pair
    client.force_login(ben)
    response = client.get(EVENTS)
    stream = iter(response.streaming_content)
    assert next(stream).startswith(b"retry:")
    assert _parse([next(stream)])[0]["hello"]
    conversation, message = send(ann, ben)
    written = time.monotonic()
    event = _parse([next(stream)])
    assert time.monotonic() - written < 2
    assert event == [{"conversation": conversation.pk, "message": message.pk, "unread": 1}]
    response.close()
    assert live.hub.listening(ben.pk) == 0


def test_the_listener_is_registered_once_at_start():
    assert services._listeners.count(live.publish_change) == 1


# ------------------------------------------------------------------------- two processes and Redis

SERVER = """
import sys
import django
django.setup()
from django.conf import settings
settings.MESSAGING_LIVE_PREFIX = sys.argv[1]
import uvicorn
uvicorn.run("entregent.asgi:application", host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
            lifespan="off")
"""

WRITER = """
import sys, time
import django
django.setup()
from django.conf import settings
settings.MESSAGING_LIVE_PREFIX = sys.argv[1]
from entregent.accounts.models import User
from entregent.messaging import services
from entregent.messaging.models import Conversation

conversation = Conversation.objects.get(pk=int(sys.argv[2]))
message = services.message_send(
    conversation=conversation, sender=User.objects.get(pk=int(sys.argv[3])), body="From another process"
)
print(message.pk, time.time(), flush=True)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped: {server.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the server did not listen within {timeout} s")


class _StreamReader(threading.Thread):
    """Reads an event stream from a real HTTP connection, noting when each event arrived."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        super().__init__(daemon=True)
        self.response = response
        self.events: list[tuple[float, dict]] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        buffer = b""
        try:
            while True:
                data = self.response.read1(65536)
                if not data:
                    return
                buffer += data
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    for event in _parse([block + b"\n\n"]):
                        self.events.append((time.time(), event))
        except Exception as error:  # closed at the end of the test
            self.error = error

    def wait(self, predicate, timeout: float) -> tuple[float, dict] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for arrived, event in list(self.events):
                if predicate(event):
                    return arrived, event
            time.sleep(0.01)
        return None


@pytest.mark.django_db(transaction=True)
def test_a_message_sent_in_one_process_reaches_a_member_connected_to_another_within_two_seconds(
    tmp_path, client
):
    from tests.factories import connect
    from tests.network.conftest import veteran

    redis_url = _redis_or_skip()
    prefix = f"entregent-test-{uuid.uuid4().hex}:"
    ann = veteran(first_name="Ann", slug="ann-two")
    ben = veteran(first_name="Ben", slug="ben-two")
    connect(ann, ben)
    conversation, _ = services.conversation_start(sender=ann, recipients=[ben], body="First")
    client.force_login(ben)
    session = client.cookies["sessionid"].value
    env = {
        **os.environ,
        "DATABASE_URL": _shared_database_url(tmp_path),
        "DJANGO_SETTINGS_MODULE": "entregent.settings",
        "REDIS_URL": redis_url,
        "GRAPH_WARM_AT_START": "0",
        "ENTREGENT_TESTING": "1",
    }
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, prefix, str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    connection = response = None
    try:
        _wait_for_port(port, server, timeout=60)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request(
            "GET", EVENTS, headers={"Cookie": f"sessionid={session}", "Accept": "text/event-stream"}
        )
        response = connection.getresponse()
        assert response.status == 200, response.read(500)
        assert response.getheader("Content-Type").startswith("text/event-stream")
        reader = _StreamReader(response)
        reader.start()
        hello = reader.wait(lambda e: e.get("hello"), timeout=10)
        assert hello is not None, reader.error
        assert hello[1]["unread"] == 1
        writer = subprocess.run(
            [sys.executable, "-c", WRITER, prefix, str(conversation.pk), str(ann.pk)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert writer.returncode == 0, writer.stderr
        message_id, committed = writer.stdout.split()
        seen = reader.wait(lambda e: e.get("message") == int(message_id), timeout=5)
        assert seen is not None, f"no event within 5 s: {reader.events} {reader.error}"
        arrived, event = seen
        assert event == {"conversation": conversation.pk, "message": int(message_id), "unread": 1}
        assert arrived - float(committed) <= 2.0, f"arrived {arrived - float(committed):.3f} s after commit"
    finally:
        if response is not None:
            response.close()
        if connection is not None:
            connection.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _threads_of(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("Threads:")).split()[1])


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="counts threads through /proc (Linux)")
@pytest.mark.django_db(transaction=True)
def test_many_open_streams_under_uvicorn_hold_no_thread_each(tmp_path, client):
    from tests.network.conftest import veteran

    ben = veteran(first_name="Ben", slug="ben-streams")
    client.force_login(ben)
    session = client.cookies["sessionid"].value
    env = {
        **os.environ,
        "DATABASE_URL": _shared_database_url(tmp_path),
        "DJANGO_SETTINGS_MODULE": "entregent.settings",
        "GRAPH_WARM_AT_START": "0",
        "ENTREGENT_TESTING": "1",
    }
    env.pop("REDIS_URL", None)  # the in-process hub
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, "entregent-test:", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    streams = []
    try:
        _wait_for_port(port, server, timeout=60)
        before = _threads_of(server.pid)
        for _ in range(30):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", EVENTS, headers={"Cookie": f"sessionid={session}"})
            response = connection.getresponse()
            assert response.status == 200
            assert b'"hello":true' in response.read1(4096) + response.read1(4096)
            streams.append((connection, response))
        time.sleep(0.5)
        assert _threads_of(server.pid) <= before + 3, "a thread per open stream"
    finally:
        for connection, response in streams:
            response.close()
            connection.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
