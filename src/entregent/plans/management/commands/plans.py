"""`entregent plans export [file]` writes the plans configuration as TOML (to standard output without a file);
`entregent plans import file` replaces the configuration with the file's, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entregent.plans.config import ConfigError, export_config, import_config


class Command(BaseCommand):
    help = "Export or import the plans configuration (plans, features, quotas, trial, completeness, zones, prices) as TOML."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the configuration as TOML")
        export.add_argument("file", nargs="?", help="file to write (default: standard output)")
        imp = sub.add_parser("import", help="replace the configuration with a TOML file's")
        imp.add_argument("file", help="TOML file to read")
        imp.add_argument("--check", action="store_true", help="only validate the file, change nothing")

    def handle(self, *args, **options) -> None:
        if options["action"] == "export":
            text = export_config()
            if options["file"]:
                Path(options["file"]).write_text(text, encoding="utf-8")
                self.stderr.write(f"Wrote {options['file']}.")
            else:
                self.stdout.write(text, ending="")
            return
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}") from None
        try:
            if options["check"]:
                from entregent.plans.config import parse_config

                parse_config(text)
                self.stdout.write(f"{path} is valid; nothing changed.")
                return
            counts = import_config(text)
        except ConfigError as error:
            raise CommandError(
                f"{path} was not imported, nothing changed:\n" + "\n".join(f"  - {e}" for e in error.errors)
            ) from None
        self.stdout.write(
            "Imported {plans} plans ({removed_plans} removed), {multipliers} completeness multipliers, "
            "{zones} zones, {prices} prices.".format(**counts)
        )
