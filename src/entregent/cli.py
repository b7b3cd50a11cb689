"""The `entregent` command: `demo`, `serve`, `worker`, `seed`, and every Django management command.

entregent demo [--members N] [--seed S] [--port P] [--host H]
entregent serve [--host H] [--port P] [--workers W]
entregent worker
entregent <django command> ...   (migrate, createsuperuser, check, plans …)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entregent.settings")
    import django

    django.setup()


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="entregent demo",
        description="Run a demo instance: migrate, seed a demo network on first run, serve it with a worker.",
    )
    parser.add_argument("--members", type=int, default=300, help="members to generate on first run (300)")
    parser.add_argument("--seed", type=int, default=42, help="random seed of the generated network (42)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)

    if os.environ.get("ENTREGENT_ENV") == "production":
        print(
            "entregent demo refuses to run with ENTREGENT_ENV=production: demo logins must never reach "
            "a real instance. Use `entregent serve`.",
            file=sys.stderr,
        )
        return 2
    os.environ["ENTREGENT_DEMO"] = "1"
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from entregent.accounts.models import User
    from entregent.demo import DEMO_LOGINS

    print(f"Data directory: {settings.DATA_DIR}")
    call_command("migrate", interactive=False, verbosity=0)
    if not User.objects.exists():
        call_command("seed", members=args.members, seed=args.seed, no_logins=True)
    else:
        print(f"Reusing the existing data ({User.objects.count()} members).")

    worker = subprocess.Popen([sys.executable, "-m", "entregent", "worker"], env=os.environ.copy())
    url = f"http://{'localhost' if args.host in ('127.0.0.1', '0.0.0.0') else args.host}:{args.port}/"  # noqa: S104
    print()
    print(f"Entregent demo running at {url}")
    print("Demo logins:")
    for email, password in DEMO_LOGINS:
        print(f"  {email}  /  {password}")
    print(f"Mails sent by the demo: {url}outbox/")
    print("Press Ctrl-C to stop.")
    print()
    try:
        import uvicorn

        uvicorn.run(
            "entregent.asgi:application",
            host=args.host,
            port=args.port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=5,  # open live-update streams must not hold a restart
        )
    finally:
        _stop(worker)
    return 0


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="entregent serve", description="Run the ASGI web server (uvicorn).")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    parser.add_argument("--no-collectstatic", action="store_true", help="skip collecting static files")
    args = parser.parse_args(argv)
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION and not args.no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    import uvicorn

    uvicorn.run(
        "entregent.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=os.environ.get("LOG_LEVEL", "warning").lower(),
        lifespan="off",
        proxy_headers=True,
        timeout_graceful_shutdown=5,  # open live-update streams must not hold a restart
    )
    return 0


def worker(argv: list[str]) -> int:
    _setup()
    from django.core.management import call_command

    try:
        call_command("db_worker", "--queue-name", "*", "--no-reload", *argv)
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command == "demo":
        sys.exit(demo(argv[1:]))
    if command == "serve":
        sys.exit(serve(argv[1:]))
    if command == "worker":
        sys.exit(worker(argv[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entregent.settings")
    from django.core.management import execute_from_command_line

    if command in ("help", "-h", "--help") and len(argv) <= 1:
        print(__doc__)
    execute_from_command_line(["entregent", *argv])


if __name__ == "__main__":
    main()
