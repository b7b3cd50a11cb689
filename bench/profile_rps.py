"""Requests per second of a member's profile page, as a ratio of a trivial view, on the real server.

    uv run python bench/profile_rps.py [--members 10000] [--duration 10] [--connections 16]

Seeds (or reuses) a demo network in a data directory under /tmp, starts `entregent serve` on a
free port, warms it up, then measures with `wrk` (or a Python thread pool when wrk is missing):
  - /healthz            a view that touches nothing (the server's ceiling),
  - /in/<slug>/         a well-filled member's profile, logged out,
  - /in/<slug>/         the same page for a logged-in member (session cookie),
and prints requests/second, latency percentiles and the ratio profile / healthz. Both views run
on the same server in the same run, so the ratio says what the profile page costs, whatever the
machine. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from entregent.demo import DEMO_LOGINS

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def entregent(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "entregent", *args], env=env, cwd=ROOT, check=True, text=True, **kwargs
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(env: dict[str, str], members: int, seed: int) -> None:
    """Migrate, and seed unless the database already holds members."""
    entregent("migrate", "--verbosity", "0", env=env)
    count = int(
        entregent(
            "shell",
            "-c",
            "from entregent.accounts.models import User; print(User.objects.count())",
            env=env,
            capture_output=True,
        ).stdout.split()[-1]
    )
    if count:
        print(f"Reusing the database: {count:,} members.", flush=True)
        return
    started = time.monotonic()
    entregent("seed", "--members", str(members), "--seed", str(seed), env=env)
    print(f"Seeded {members:,} members in {time.monotonic() - started:.1f} s.")


PICK_MEMBER = """
from django.db.models import Count
from entregent.demo import DEMO_LOGINS
from entregent.profiles.models import Profile
rich = (
    Profile.objects.filter(public_profile=True, user__is_active=True)
    .exclude(user__email__in=[email for email, _ in DEMO_LOGINS])
    .exclude(photo="").exclude(about="")
    .annotate(n_exp=Count("experiences", distinct=True), n_skills=Count("skills", distinct=True))
    .filter(n_exp__gte=3, n_skills__gte=8)
    .order_by("pk")
)
profile = rich.first() or Profile.objects.order_by("-pk").first()
print(profile.slug)
"""


def pick_member(env: dict[str, str]) -> str:
    """A well-filled ordinary member (photo, about, ≥3 positions, ≥8 skills): not a demo login."""
    done = entregent("shell", "-c", PICK_MEMBER, env=env, capture_output=True)
    return done.stdout.strip().splitlines()[-1]


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "entregent", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped at start (exit code {server.returncode}).")
        try:
            status, _ = get(port, "/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("The server did not answer /healthz within 60 s.")


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def login(port: int, email: str, password: str) -> str:
    """Sign in through the real login page; return the Cookie header of the session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    page = conn.getresponse()
    body = page.read().decode()
    jar = http.cookies.SimpleCookie()
    for header in page.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not token or "csrftoken" not in jar:
        raise SystemExit("Could not read the CSRF token of the login page.")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken'].value}",
        },
    )
    response = conn.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"Login failed (HTTP {response.status}).")
    return f"sessionid={jar['sessionid'].value}; csrftoken={jar['csrftoken'].value}"


# --- Load generators --------------------------------------------------------------------------------


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(name: str, url: str, duration: int, connections: int, threads: int, cookie: str) -> Result:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(g) for g in match.groups())
    return Result(name, rps, p50, p99, errors, requests)


def run_threads(name: str, port: int, path: str, duration: int, connections: int, cookie: str) -> Result:
    """Fallback without wrk: one keep-alive connection per thread, as fast as it answers."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration
    headers = {"Cookie": cookie} if cookie else {}

    def client() -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    if not latencies:
        return Result(name, 0.0, 0.0, 0.0, errors, 0)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Result(name, len(latencies) / elapsed, statistics.median(latencies), p99, errors, len(latencies))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=10_000, help="members of the seeded network (10000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data-dir", help="data directory (default /tmp/entregent-bench-<members>)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (10)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per URL (3)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (16)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (1)")
    parser.add_argument("--python-client", action="store_true", help="use the thread pool even if wrk exists")
    args = parser.parse_args()

    data_dir = Path(args.data_dir or f"/tmp/entregent-bench-{args.members}")  # noqa: S108
    env = {k: v for k, v in os.environ.items() if k not in ("ENTREGENT_ENV", "DEBUG", "PYTEST_VERSION")}
    env.update(ENTREGENT_DATA_DIR=str(data_dir), LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT / "src"))
    database = env.get("DATABASE_URL", f"SQLite in {data_dir}")
    print(f"Data directory: {data_dir}  ·  database: {database}", flush=True)
    prepare_database(env, args.members, args.seed)
    slug = pick_member(env)
    port = free_port()
    server = start_server(env, port, args.workers)
    use_wrk = shutil.which("wrk") is not None and not args.python_client
    tool = "wrk" if use_wrk else "Python threads (install wrk for better figures)"
    try:
        status, body = get(port, f"/in/{slug}/")
        if status != 200:
            raise SystemExit(f"/in/{slug}/ answered {status}, not 200.")
        cookie = login(port, *DEMO_LOGINS[0])  # a member who is not the page's owner
        status, logged_in_body = get(port, f"/in/{slug}/", cookie)
        if status != 200:
            raise SystemExit(f"/in/{slug}/ answered {status} to a logged-in member, not 200.")
        print(
            f"Server: entregent serve, {args.workers} worker(s), port {port}  ·  load: {tool}, "
            f"{args.connections} connections, {args.duration} s per URL  ·  CPUs: {os.cpu_count()}"
        )
        print(
            f"Profile page: /in/{slug}/ ({len(body):,} bytes logged out, {len(logged_in_body):,} logged in)"
        )
        targets = [
            ("healthz", "/healthz", ""),
            ("profile, logged out", f"/in/{slug}/", ""),
            ("profile, logged in", f"/in/{slug}/", cookie),
        ]

        def measure(name: str, path: str, cookie: str, seconds: int) -> Result:
            if use_wrk:
                url = f"http://127.0.0.1:{port}{path}"
                return run_wrk(name, url, seconds, args.connections, args.threads, cookie)
            return run_threads(name, port, path, seconds, args.connections, cookie)

        for name, path, cookie_header in targets:
            measure(name, path, cookie_header, args.warmup)
        results = [measure(name, path, cookie_header, args.duration) for name, path, cookie_header in targets]
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()

    print()
    for r in results:
        print(
            f"{r.name:<22} {r.rps:>9,.1f} req/s   p50 {r.p50_ms:>7.1f} ms   p99 {r.p99_ms:>7.1f} ms   "
            f"{r.requests:>7,} requests, {r.errors} errors"
        )
    healthz = results[0].rps or 1.0
    print()
    print(f"ratio profile/healthz (logged out): {results[1].rps / healthz:.3f}")
    print(f"ratio profile/healthz (logged in):  {results[2].rps / healthz:.3f}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
