"""`entregent seed --members N [--seed S]`: fill an empty database with a demo network."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from entregent.accounts.models import User
from entregent.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = (
        "Generate a believable demo network (members, careers, connections, invitations) into an "
        "empty database. Deterministic for a given --seed. Never for a real instance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=300, help="number of members (300)")
        parser.add_argument("--seed", type=int, default=42, help="random seed (42)")
        parser.add_argument(
            "--no-logins",
            action="store_true",
            help="do not print the demo logins (entregent demo prints them)",
        )

    def handle(self, *args, members: int, seed: int, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "entregent seed refuses to run with ENTREGENT_ENV=production: demo accounts share a "
                "public password and must never reach a real instance."
            )
        if members < 2:
            raise CommandError("--members must be at least 2 (the two demo logins).")
        existing = User.objects.count()
        if existing:
            raise CommandError(
                f"The database already has {existing:,} account(s); the demo network is only generated "
                f"into an empty database. Use a fresh data directory (ENTREGENT_DATA_DIR={settings.DATA_DIR} "
                "now) or a new DATABASE_URL, then run `entregent migrate` and this command again."
            )
        from entregent.demo.writer import seed_network

        verbose = options.get("verbosity", 1) > 0
        if verbose:
            self.stdout.write(f"Generating a demo network of {members:,} members (seed {seed})…")
        report = seed_network(members=members, seed=seed, progress=self._say if verbose else None)
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Done: {report.members:,} members, {report.connections:,} connections, "
                    f"{report.invitations:,} pending invitations in {report.seconds:.1f} s."
                )
            )
        if verbose and not options.get("no_logins"):
            self.stdout.write("Demo logins:")
            for email, password in DEMO_LOGINS:
                self.stdout.write(f"  {email}  /  {password}")

    def _say(self, message: str) -> None:
        self.stdout.write(f"  {message}")
        self.stdout.flush()
