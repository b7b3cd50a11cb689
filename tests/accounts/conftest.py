"""Account tests drive allauth through the test client. Mails leave `on_commit` through a task;
the `web` client runs each request's commit callbacks, as a real request would."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, TestCase

from tests.factories import PASSWORD, member


class CommitClient(Client):
    """A test client whose requests run their on-commit callbacks (mails, tasks) before returning."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def web(db) -> CommitClient:
    return CommitClient()


@pytest.fixture
def carol(db):
    """A member with a known password and a verified email."""
    return member(first_name="Carol", last_name="Petit", slug="carol-petit", user__email="carol@example.org")


def login(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def link_in(message, pattern: str = r"https?://\S+") -> str:
    """The first URL in a mail body, as a path the test client can follow."""
    found = re.search(pattern, message.body)
    assert found, message.body
    return re.sub(r"^https?://[^/]+", "", found.group(0))
