"""Live updates of messaging: who is listening in this process, and how a change reaches them.

`services.on_change` tells us, after commit, that a conversation changed for some members;
`publish_change` adds each member's new unread count and publishes one small event per member:
{"conversation": id, "message": id or null, "unread": n}. Pages listen through Server-Sent Events
(views_live.py), and fetch what changed themselves: an event never carries a message's text.

One hub per process keeps the members listening here, each connection with its own bounded queue: an
asyncio queue under ASGI (no thread per connection), a thread queue under the WSGI development server.
Without `REDIS_URL` the hub delivers in process. With it, events go through Redis pub/sub on one channel
per member, and one relay thread per process subscribes to the channels of the members connected to
that process and hands their events to the hub — so a message sent through one worker process reaches a
member whose page is connected to another."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import queue
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

QUEUE_SIZE = 100  # events kept for a slow connection before it is told to resync instead
RESYNC = {"resync": True}  # "you may have missed events: fetch what you show again"
DEFAULT_PREFIX = "entregent:live:"


def _prefix() -> str:
    return getattr(settings, "MESSAGING_LIVE_PREFIX", "") or DEFAULT_PREFIX


def channel_of(member_id: int, prefix: str | None = None) -> str:
    return f"{prefix or _prefix()}member:{member_id}"


# ---------------------------------------------------------------------------------- subscriptions


class Subscription:
    """One open connection of one member: events arrive in its queue; `ready` once this process receives
    the member's events (at once without Redis, when Redis confirms the channel with it)."""

    def __init__(self, hub: Hub, member_id: int) -> None:
        self.hub = hub
        self.member_id = member_id
        self.closed = False

    def deliver(self, event: dict) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def mark_ready(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.hub.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class AsyncSubscription(Subscription):
    """For an async view: the hub (called from any thread) hands events to the connection's event
    loop, which holds them in an asyncio queue."""

    def __init__(self, hub: Hub, member_id: int) -> None:
        super().__init__(hub, member_id)
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[dict] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._ready = asyncio.Event()

    def _call(self, function, *args) -> None:
        try:
            self.loop.call_soon_threadsafe(function, *args)
        except RuntimeError:  # the loop is closed: the connection is gone
            self.closed = True

    def deliver(self, event: dict) -> None:
        self._call(self._put, event)

    def _put(self, event: dict) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:  # a stalled client: drop what it missed, it fetches everything again
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(RESYNC)

    def mark_ready(self) -> None:
        self._call(self._ready.set)

    async def ready(self, timeout: float = 2.0) -> bool:
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def get(self, timeout: float) -> dict | None:
        """The next event, or None after `timeout` seconds without one."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc) -> None:
        self.close()


class ThreadSubscription(Subscription):
    """For a synchronous caller (the WSGI development server, a script)."""

    def __init__(self, hub: Hub, member_id: int) -> None:
        super().__init__(hub, member_id)
        self.queue: queue.Queue[dict] = queue.Queue(maxsize=QUEUE_SIZE)
        self._ready = threading.Event()

    def deliver(self, event: dict) -> None:
        try:
            self.queue.put_nowait(event)
        except queue.Full:
            with contextlib.suppress(queue.Empty):
                while True:
                    self.queue.get_nowait()
            self.queue.put_nowait(RESYNC)

    def mark_ready(self) -> None:
        self._ready.set()

    def ready(self, timeout: float = 2.0) -> bool:
        return self._ready.wait(timeout)

    def get(self, timeout: float) -> dict | None:
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return None


# --------------------------------------------------------------------------------------------- hub


class Hub:
    """The members listening in this process, and the way out to the others (Redis) when configured."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.subscribers: dict[int, set[Subscription]] = {}
        self._relay: RedisRelay | None = None
        self._publisher = None
        self._publisher_key: tuple[str, ...] | None = None

    # Members listening here.
    def subscribe(self, member_id: int) -> AsyncSubscription:
        """From a coroutine: an AsyncSubscription (use `async with`, or close it)."""
        return self._add(AsyncSubscription(self, member_id))

    def subscribe_sync(self, member_id: int) -> ThreadSubscription:
        return self._add(ThreadSubscription(self, member_id))

    def _add(self, subscription):
        relay = self._current_relay()
        with self.lock:
            self.subscribers.setdefault(subscription.member_id, set()).add(subscription)
            if relay is None or subscription.member_id in relay.confirmed:
                subscription.mark_ready()
        if relay is not None:
            relay.wake()
        return subscription

    def remove(self, subscription: Subscription) -> None:
        with self.lock:
            members = self.subscribers.get(subscription.member_id)
            if members is not None:
                members.discard(subscription)
                if not members:
                    del self.subscribers[subscription.member_id]
        if self._relay is not None:
            self._relay.wake()

    def members(self) -> set[int]:
        with self.lock:
            return set(self.subscribers)

    def listening(self, member_id: int) -> int:
        """How many connections of this member are open in this process."""
        with self.lock:
            return len(self.subscribers.get(member_id, ()))

    def deliver_local(self, member_id: int, event: dict) -> None:
        with self.lock:
            targets = list(self.subscribers.get(member_id, ()))
        for subscription in targets:
            subscription.deliver(event)

    def deliver_everyone(self, event: dict) -> None:
        with self.lock:
            targets = [s for members in self.subscribers.values() for s in members]
        for subscription in targets:
            subscription.deliver(event)

    # The way out.
    def publish(self, member_id: int, event: dict) -> None:
        """Send `event` to every connection of the member, in every process."""
        self.publish_many({member_id: event})

    def publish_many(self, events: dict[int, dict]) -> None:
        """Send each member their event (one round trip to Redis for a whole group)."""
        url = getattr(settings, "REDIS_URL", "")
        if url:
            try:
                pipeline = self._redis_publisher(url).pipeline(transaction=False)
                for member_id, event in events.items():
                    pipeline.publish(channel_of(member_id), json.dumps(event))
                pipeline.execute()
                return
            except Exception:  # Redis down: this process's listeners at least hear it
                logger.warning("live updates: cannot publish to Redis", exc_info=True)
        for member_id, event in events.items():
            self.deliver_local(member_id, event)

    def _redis_publisher(self, url: str):
        key = (url,)
        if self._publisher is None or self._publisher_key != key:
            import redis

            self._publisher = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            self._publisher_key = key
        return self._publisher

    def _current_relay(self) -> RedisRelay | None:
        """The relay for the configured Redis (started on the first listener; restarted when the
        settings change, as tests do)."""
        url = getattr(settings, "REDIS_URL", "")
        prefix = _prefix()
        relay = self._relay
        if relay is not None and (relay.url, relay.prefix) == (url, prefix) and relay.is_alive():
            return relay
        with self.lock:
            relay = self._relay
            if relay is not None and (relay.url, relay.prefix) == (url, prefix) and relay.is_alive():
                return relay
            if relay is not None:
                relay.stop()
            self._relay = RedisRelay(self, url, prefix) if url else None
            if self._relay is not None:
                self._relay.start()
            return self._relay

    def shutdown(self) -> None:
        with self.lock:
            relay, self._relay = self._relay, None
        if relay is not None:
            relay.stop()
            relay.join(timeout=5)


class RedisRelay(threading.Thread):
    """One thread per process: subscribes to the channels of the members listening here (and only
    those), hands what arrives to the hub, and reconnects (then tells everyone to resync) if Redis goes
    away. Only this thread touches its pub/sub connection."""

    POLL = 0.1  # seconds between two looks at the subscriptions to change when nothing arrives

    def __init__(self, hub: Hub, url: str, prefix: str) -> None:
        super().__init__(name="entregent-live-relay", daemon=True)
        self.hub = hub
        self.url = url
        self.prefix = prefix
        self.confirmed: set[int] = set()  # channels Redis confirmed (read and written under hub.lock)
        self._stopping = threading.Event()
        self._changed = threading.Event()

    def wake(self) -> None:
        self._changed.set()

    def stop(self) -> None:
        self._stopping.set()
        self._changed.set()

    def run(self) -> None:
        import redis

        backoff = 0.2
        failed = False
        while not self._stopping.is_set():
            pubsub = None
            try:
                client = redis.Redis.from_url(self.url, socket_connect_timeout=2, health_check_interval=30)
                pubsub = client.pubsub()
                client.ping()
                if failed:
                    logger.warning("live updates: Redis is back")
                self._serve(pubsub, resync=failed)
            except Exception:
                if not failed:
                    logger.warning("live updates: lost Redis, reconnecting", exc_info=True)
                failed = True
                with self.hub.lock:
                    self.confirmed.clear()
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        pubsub.close()

    def _serve(self, pubsub, *, resync: bool) -> None:
        subscribed: set[int] = set()
        first = True
        while not self._stopping.is_set():
            self._changed.clear()
            subscribed = self._sync(pubsub, subscribed)
            if first and resync:
                # Events published while Redis was away are lost: listeners fetch their pages again.
                self.hub.deliver_everyone(RESYNC)
            first = False
            if not subscribed:  # nobody listens here: sleep until someone does
                self._changed.wait(1.0)
                continue
            message = pubsub.get_message(timeout=self.POLL)
            while message is not None:
                self._handle(message)
                message = pubsub.get_message(timeout=0)
        with self.hub.lock:
            self.confirmed.clear()

    def _sync(self, pubsub, subscribed: set[int]) -> set[int]:
        wanted = self.hub.members()
        leaving = subscribed - wanted
        joining = wanted - subscribed
        if leaving:
            with self.hub.lock:
                self.confirmed.difference_update(leaving)
            pubsub.unsubscribe(*(channel_of(m, self.prefix) for m in leaving))
        if joining:
            pubsub.subscribe(*(channel_of(m, self.prefix) for m in joining))
        return wanted

    def _member_of(self, channel: bytes | str) -> int | None:
        if isinstance(channel, bytes):
            channel = channel.decode()
        head = f"{self.prefix}member:"
        if not channel.startswith(head):
            return None
        try:
            return int(channel[len(head) :])
        except ValueError:
            return None

    def _handle(self, message: dict) -> None:
        member_id = self._member_of(message.get("channel") or b"")
        if member_id is None:
            return
        if message["type"] == "subscribe":
            with self.hub.lock:
                self.confirmed.add(member_id)
                waiting = list(self.hub.subscribers.get(member_id, ()))
            for subscription in waiting:
                subscription.mark_ready()
        elif message["type"] == "message":
            try:
                event = json.loads(message["data"])
            except (TypeError, ValueError):
                return
            self.hub.deliver_local(member_id, event)


hub = Hub()


# --------------------------------------------------------------------------------- what we publish


def unread_counts(member_ids: Iterable[int]) -> dict[int, int]:
    """The top bar's unread count for several members in one query — the same rule as
    `selectors.unread_conversations` (tests hold the two together)."""
    from entregent.messaging.models import Participant

    ids = list(dict.fromkeys(member_ids))
    if not ids:
        return {}
    now = timezone.now()
    rows = (
        Participant.objects.filter(member_id__in=ids, hidden=False, left_at__isnull=True, archived=False)
        .filter(Q(unread_count__gt=0) | Q(marked_unread=True))
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
        .values("member_id")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({row["member_id"]: row["n"] for row in rows})
    return counts


def publish_change(conversation_id: int, message_id: int | None, member_ids: list[int]) -> None:
    """The listener registered with `services.on_change` (runs after commit): one event per member.
    Never raises: a live update that cannot leave must not break the write that caused it."""
    try:
        counts = unread_counts(member_ids)
        hub.publish_many(
            {
                member_id: {"conversation": conversation_id, "message": message_id, "unread": unread}
                for member_id, unread in counts.items()
            }
        )
    except Exception:
        logger.exception("live updates: cannot publish a change of conversation %s", conversation_id)
