import os
import shutil
import tempfile

import pytest

from tests.factories import member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _isolated_media(settings):
    """Uploaded files and the mail outbox go to a fresh temporary folder for each test."""
    directory = tempfile.mkdtemp(prefix="entregent-test-")
    settings.MEDIA_ROOT = os.path.join(directory, "media")
    settings.EMAIL_OUTBOX_DIR = os.path.join(directory, "outbox")
    yield
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(autouse=True)
def _default_language():
    """A request in French leaves French active in its thread (Django's LocaleMiddleware does not reset
    it): each test starts and ends in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_graph_index(settings):
    """Each test's database starts over, so does the in-memory graph index; it follows the change log on
    every use, inside the test's transaction."""
    from entregent.network import graph

    settings.GRAPH_POLL_SECONDS = 0
    settings.GRAPH_POLL_IN_TRANSACTION = True
    graph.reset()
    yield
    graph.reset()


@pytest.fixture
def warm_graph(settings):
    """Call before measuring a page's queries: builds the graph index (once per process in production)
    and leaves it between two polls of the change log, as a serving process is most of the time."""

    def warm():
        from entregent.network import graph

        graph.get_index()
        settings.GRAPH_POLL_SECONDS = 3600

    return warm


@pytest.fixture
def alice(db):
    return member(first_name="Alice", last_name="Martin", slug="alice-martin")


@pytest.fixture
def bob(db):
    return member(first_name="Bob", last_name="Durand", slug="bob-durand")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client
