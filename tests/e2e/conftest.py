"""Browser tests: Playwright's sync API driving Debian's Chromium (/usr/bin/chromium), never a
downloaded browser. Where Chromium is absent they are skipped with a reason, unless
ENTREGENT_REQUIRE_BROWSER=1 (set by CI), where a missing browser is a failure."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ENTREGENT_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if not AXE.exists():
        return "axe-core not installed (npm ci)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("ENTREGENT_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def _server_shares_the_test_database_one_request_at_a_time(live_server):
    """The live server's threads use the test's own connection to the in-memory database, as under
    Django's LiveServerTestCase, and handle one request at a time (the streams' waiting excepted).

    pytest-django starts its session-wide server before the test database when a browser test runs
    first: each server thread then opens its own connection to the shared-cache database, where two
    requests at once fail ("database table is locked"). When the server starts after the database,
    its threads share one connection, where two requests' transactions at once mix ("no such
    savepoint"). Live updates make requests overlap (a page's event stream opens while the next page
    loads, fetches follow each event), so both happen. Production runs a file database in WAL mode,
    or PostgreSQL, where neither applies."""
    from django.db import connections

    connection = connections["default"]
    thread = live_server.thread
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    if "default" not in thread.connections_override:
        connection.inc_thread_sharing()
        thread.connections_override["default"] = connection
    if not getattr(thread, "one_request_at_a_time", False):
        # Once per session. One more share than the server gives back when it stops: a stream may
        # outlive it by a few seconds, and its thread closes (a no-op) the shared connection.
        connection.inc_thread_sharing()
        application = thread.httpd.get_app()
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:  # the view runs inside; a stream's body is sent outside, after it returns
                return application(environ, start_response)

        thread.httpd.set_app(one_at_a_time)
        thread.one_request_at_a_time = True
    yield


@pytest.fixture
def page(browser, live_server, _server_shares_the_test_database_one_request_at_a_time):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser, live_server, _server_shares_the_test_database_one_request_at_a_time):
    """Opens extra, independent browser contexts (e.g. a logged-out visitor)."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, **{"locale": "en-GB", **options})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page (page.evaluate works under our strict CSP) and return the serious
    and critical violations, each with its rule id, help text and failing targets."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2)
