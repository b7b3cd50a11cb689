import json

import pytest

from entregent.accounts import services as account_services


class ApiClient:
    """Django's test client speaking JSON to /api/v1/, with an optional bearer token."""

    def __init__(self, client, token: str | None = None, language: str | None = None) -> None:
        self.client = client
        self.headers = {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        if language:
            self.headers["Accept-Language"] = language

    def _call(self, method: str, path: str, body=None, raw: str | bytes | None = None, **params):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"headers": self.headers}
        if data is not None:
            kwargs |= {"data": data, "content_type": "application/json"}
        elif params:
            kwargs["data"] = params
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path, **params):
        return self._call("get", path, **params)

    def post(self, path, body=None, **kw):
        return self._call("post", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self._call("put", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self._call("patch", path, body, **kw)

    def delete(self, path, **kw):
        return self._call("delete", path, **kw)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; API tests create members by the dozen and never log in by password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_token(user, scope: str = "write") -> str:
    _token, secret = account_services.token_create(user=user, name=f"{scope} token", scope=scope)
    return secret


@pytest.fixture
def alice_api(client, alice):
    return ApiClient(client, make_token(alice, "write"))


@pytest.fixture
def alice_read_api(client, alice):
    return ApiClient(client, make_token(alice, "read"))


@pytest.fixture
def anonymous_api(client, db):
    return ApiClient(client)
