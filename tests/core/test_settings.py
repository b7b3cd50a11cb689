"""Settings come from the environment. Each test starts a fresh Python process with its own
environment and data directory, as an operator would start Entregent."""

from __future__ import annotations

import json
import os
import secrets
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Only what a process needs to start: nothing of the test run (PYTEST_VERSION,
# DJANGO_ALLOW_ASYNC_UNSAFE, a DATABASE_URL…) leaks into the child's settings.
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k in KEPT}
    environment.update(ENTREGENT_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="entregent.settings", **env)
    return subprocess.run(
        [sys.executable, *args], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def settings_of(data_dir: Path, *names: str, code: str = "", **env: str) -> dict:
    """Values of settings (or of `code`'s `result`) as seen by a fresh process with this environment."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; result = None\n"
        f"{code}\n"
        f"print(json.dumps({{**{{n: str(getattr(s, n)) for n in {list(names)!r}}}, 'result': result}}))"
    )
    done = run(["-c", script], data_dir, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def production_env() -> dict[str, str]:
    return {
        "ENTREGENT_ENV": "production",
        "ALLOWED_HOSTS": "example.org",
        "SECRET_KEY": secrets.token_urlsafe(45),
    }


def test_deploy_check_passes_in_production_with_real_hosts_and_key(tmp_path):
    env = production_env()
    assert len(env["SECRET_KEY"]) == 60

    done = run(["-m", "entregent", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **env)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_deploy_check_fails_with_debug_on_in_production(tmp_path):
    done = run(
        ["-m", "entregent", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **production_env(),
        DEBUG="1",
    )

    assert done.returncode != 0
    assert "security.W018" in done.stdout + done.stderr


def test_production_turns_on_https_cookies_and_hsts(tmp_path):
    values = settings_of(
        tmp_path,
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "DEBUG",
        "DEMO",
        "SHOW_OUTBOX",
        **production_env(),
        ENTREGENT_DEMO="1",
    )

    assert (
        values["SESSION_COOKIE_SECURE"]
        == values["CSRF_COOKIE_SECURE"]
        == values["SECURE_SSL_REDIRECT"]
        == "True"
    )
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000
    assert values["DEBUG"] == values["DEMO"] == values["SHOW_OUTBOX"] == "False"


def test_secret_key_is_generated_once_into_the_data_dir_and_reused(tmp_path):
    first = settings_of(tmp_path, "SECRET_KEY")["SECRET_KEY"]
    second = settings_of(tmp_path, "SECRET_KEY")["SECRET_KEY"]

    key_file = tmp_path / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings_of(tmp_path / "other", "SECRET_KEY")["SECRET_KEY"] != first


def test_secret_key_from_the_environment_wins(tmp_path):
    key = secrets.token_urlsafe(45)

    assert settings_of(tmp_path, "SECRET_KEY", SECRET_KEY=key)["SECRET_KEY"] == key
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_the_data_dir_in_wal_mode(tmp_path):
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0]\n"
        "    c.execute('PRAGMA foreign_keys'); fks = c.fetchone()[0]\n"
        "result = [mode, fks, str(connection.settings_dict['NAME'])]"
    )

    mode, foreign_keys, name = settings_of(tmp_path, code=code)["result"]

    assert mode == "wal"
    assert foreign_keys == 1
    assert Path(name).parent == tmp_path


def test_database_url_switches_the_database(tmp_path):
    values = settings_of(
        tmp_path,
        code="result = s.DATABASES['default']",
        DATABASE_URL="postgres://app:pw@db.example.org:5433/entregent",
    )["result"]

    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert (values["HOST"], values["PORT"], values["NAME"], values["USER"]) == (
        "db.example.org",
        5433,
        "entregent",
        "app",
    )
    assert values["OPTIONS"]["pool"]  # pooled connections outside tests


def test_mail_goes_to_the_outbox_unless_email_url_is_set(tmp_path):
    default = settings_of(tmp_path, "EMAIL_BACKEND", "SHOW_OUTBOX")
    smtp = settings_of(
        tmp_path,
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "SHOW_OUTBOX",
        EMAIL_URL="smtp+tls://mailer:s3cret@mail.example.org:587",
    )

    assert default == {
        "EMAIL_BACKEND": "entregent.core.mail.OutboxBackend",
        "SHOW_OUTBOX": "True",
        "result": None,
    }
    assert smtp["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"], smtp["EMAIL_HOST_USER"]) == (
        "mail.example.org",
        "587",
        "mailer",
    )
    assert smtp["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert smtp["EMAIL_USE_TLS"] == "True"
    assert smtp["SHOW_OUTBOX"] == "False"


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_redis_url_switches_the_cache_to_redis(tmp_path):
    import redis

    server = redis.Redis(host="127.0.0.1", port=6379, db=15)
    marker = f"settings-test-{secrets.token_hex(4)}"
    code = (
        "from django.core.cache import caches\n"
        "cache = caches['default']\n"
        f"cache.set({marker!r}, 'shared', 60)\n"
        "result = [type(cache).__module__ + '.' + type(cache).__name__, cache.get("
        f"{marker!r})]"
    )
    try:
        values = settings_of(tmp_path, code=code, REDIS_URL="redis://127.0.0.1:6379/15")["result"]
        keys = [key.decode() for key in server.keys(f"*{marker}*")]
        # A second process sees what the first stored: the cache is shared, not per process.
        again = settings_of(
            tmp_path,
            code=f"from django.core.cache import cache\nresult = cache.get({marker!r})",
            REDIS_URL="redis://127.0.0.1:6379/15",
        )["result"]
    finally:
        for key in server.keys(f"*{marker}*"):
            server.delete(key)

    assert values == ["django_redis.cache.RedisCache", "shared"]
    assert len(keys) == 1 and keys[0].startswith("entregent")
    assert again == "shared"


def test_without_redis_the_cache_is_in_process(tmp_path):
    values = settings_of(tmp_path, code="result = s.CACHES['default']['BACKEND']")

    assert values["result"] == "django.core.cache.backends.locmem.LocMemCache"


def test_production_redirects_to_https_except_the_health_check(tmp_path):
    code = (
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='example.org')\n"
        "home, health = c.get('/'), c.get('/healthz')\n"
        "result = [home.status_code, home.get('Location'), health.status_code]"
    )

    home, location, health = settings_of(tmp_path, code=code, **production_env())["result"]

    assert (home, location) == (301, "https://example.org/")
    assert health == 200
