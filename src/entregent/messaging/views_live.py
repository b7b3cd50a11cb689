"""HTTP side of live updates and unread-message mail: the Server-Sent Events stream a signed-in
member's pages listen to, and the one-click unsubscribe link of the mails.

Under ASGI (`entregent serve`) the stream is a coroutine waiting on an asyncio queue: thousands of
open streams cost no thread and no database connection. Under the WSGI development server (and the
browser tests' live server) each stream holds a thread, so it ends after WSGI_STREAM_SECONDS and the
browser reconnects a second later (`retry:`); nothing is missed, as each (re)connection starts with
the member's current unread count and pages fetch what they show again."""

from __future__ import annotations

import json
import time

from asgiref.sync import sync_to_async
from django.core import signing
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from entregent.messaging import live

HEARTBEAT_SECONDS = 15.0
RETRY_MS = 3000  # how long a browser waits before reconnecting after a lost stream
MAX_STREAM_SECONDS = 30 * 60  # then the browser reconnects, and its session is checked again
WSGI_STREAM_SECONDS = 25.0
WSGI_RETRY_MS = 1000
READY_SECONDS = 2.0


def _event(data: dict) -> str:
    return f"data: {json.dumps(data, separators=(',', ':'))}\n\n"


def _hello(member_id: int) -> dict:
    """The first event of every (re)connection: the current unread count, and `hello` so pages that
    may have missed events while disconnected fetch what they show again."""
    count = live.unread_counts([member_id])[member_id]
    if not connection.in_atomic_block:
        # A long stream must not keep a database connection (CONN_MAX_AGE, pools): give it back now.
        connection.close()
    return {"hello": True, "conversation": None, "message": None, "unread": count}


def _release_request_thread() -> None:
    """Django runs an ASGI request's synchronous parts (the middleware, our first query) on a thread of
    the request's own, kept until the request ends — for a stream, minutes of an idle thread per open
    page. Give it back once those parts are done: anything synchronous later in this request (closing
    the response) gets a fresh thread for a moment. Relies on asgiref's per-context executors; if they
    change shape, the thread is simply kept."""
    try:
        from asgiref.sync import SyncToAsync

        context = SyncToAsync.thread_sensitive_context.get(None)
        executor = SyncToAsync.context_to_thread_executor.pop(context, None) if context else None
    except (AttributeError, TypeError):  # pragma: no cover - another asgiref
        return
    if executor is not None:
        executor.shutdown(wait=False)


async def _async_stream(member_id: int):
    subscription = live.hub.subscribe(member_id)
    try:
        yield f"retry: {RETRY_MS}\n\n"
        # Subscribed before reading the count: a change after this read is in the queue.
        await subscription.ready(READY_SECONDS)
        yield _event(await sync_to_async(_hello)(member_id))
        _release_request_thread()
        deadline = time.monotonic() + MAX_STREAM_SECONDS
        while time.monotonic() < deadline:
            event = await subscription.get(timeout=HEARTBEAT_SECONDS)
            yield ": keep-alive\n\n" if event is None else _event(event)
    finally:  # the stream ended, or the client went away (Django cancels us)
        subscription.close()


def _sync_stream(member_id: int):
    subscription = live.hub.subscribe_sync(member_id)
    try:
        yield f"retry: {WSGI_RETRY_MS}\n\n"
        subscription.ready(READY_SECONDS)
        yield _event(_hello(member_id))
        deadline = time.monotonic() + WSGI_STREAM_SECONDS
        last = time.monotonic()
        while (left := deadline - time.monotonic()) > 0:
            event = subscription.get(timeout=min(left, 1.0))
            if event is not None:
                last = time.monotonic()
                yield _event(event)
            elif time.monotonic() - last >= HEARTBEAT_SECONDS:
                last = time.monotonic()
                yield ": keep-alive\n\n"
    finally:
        subscription.close()


@never_cache
async def events(request: HttpRequest) -> HttpResponse:
    """`text/event-stream` of the signed-in member's messaging changes: {"conversation", "message",
    "unread"} per change, a comment every 15 s so proxies keep the connection open."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    user = await request.auser()
    if not user.is_authenticated:
        # An EventSource given an error status stops for good, which is what a signed-out page wants.
        return HttpResponse(
            _("Sign in to receive live updates."), status=403, content_type="text/plain; charset=utf-8"
        )
    stream = _async_stream(user.pk) if isinstance(request, ASGIRequest) else _sync_stream(user.pk)
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


# ------------------------------------------------------------------------------------ unsubscribe

UNSUBSCRIBE_SALT = "entregent.messaging.unsubscribe"


def unsubscribe_token(member_id: int) -> str:
    """The signed token of a member's unsubscribe link: the same in every mail, and it does not expire
    (old mails keep working)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(member_id))


def member_of_token(token: str):
    from entregent.accounts.models import User

    try:
        member_id = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return User.objects.filter(pk=member_id, is_active=True).first()


@csrf_exempt  # RFC 8058: mail providers POST without a CSRF token; the signed token is the proof
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link checkers and previews follow links: a GET changes nothing); POST —
    the button, or a mail client's one-click request — turns unread-message mails off."""
    from entregent.messaging.tasks import email_unread_off

    member = member_of_token(token)
    if member is None:
        raise Http404
    done = False
    if request.method == "POST":
        email_unread_off(member)
        done = True
    return render(
        request,
        "messaging/unsubscribe.html",
        {"member": member, "done": done, "token": token},
    )
