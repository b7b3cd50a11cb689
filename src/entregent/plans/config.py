"""The whole plans configuration as one TOML file: `entregent plans export` writes it, `entregent plans import`
reads it back. The file describes the configuration completely (plans, their features and quota numbers, the
trial, completeness multipliers, zones and prices): importing it replaces what is there. Import validates the
whole file first and applies it in one transaction: any error, and nothing changes. docs/plans.md shows the
format.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from entregent.plans import models
from entregent.plans.registry import MONTH, REGISTRY

UNLIMITED = "unlimited"
LEVELS = [code for code, _label in models.LEVEL_CHOICES]
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class ConfigError(Exception):
    """The file cannot be imported; `errors` lists every problem found, each naming where it is."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# ------------------------------------------------------------------------------------------------- export


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _string(name)


def _string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _string(f"{value.normalize():f}")
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def export_config() -> str:
    """The current configuration as TOML text."""
    lines = [
        "# Entregent plans configuration.",
        f"# Exported {timezone.localtime():%Y-%m-%d %H:%M %Z}. Import with `entregent plans import <file>`:",
        '# the file replaces the whole configuration. Quota numbers: an integer, "unlimited", or a table',
        "# { limit, carry_over_cap, expires_after_days } for monthly quotas that carry over.",
        "",
    ]
    trial = models.TrialSettings.objects.select_related("plan").first()
    if trial is not None:
        lines += [
            "[trial]",
            f"enabled = {_value(trial.enabled)}",
            f"plan = {_value(trial.plan.code)}",
            f"days = {trial.days}",
            f"warn_days_before = {trial.warn_days_before}",
            "",
        ]
    for plan in models.Plan.objects.prefetch_related("features", "quotas"):
        lines += [
            f"[plans.{_key(plan.code)}]",
            f"name = {_value(plan.name)}",
            f"description = {_value(plan.description)}",
            f"position = {plan.position}",
            f"default = {_value(plan.is_default)}",
            f"public = {_value(plan.is_public)}",
            "",
            f"[plans.{_key(plan.code)}.features]",
        ]
        lines += [f"{_key(g.feature)} = {_value(g.enabled)}" for g in plan.features.all()]
        lines += ["", f"[plans.{_key(plan.code)}.quotas]"]
        for q in plan.quotas.all():
            amount: Any = UNLIMITED if q.limit is None else q.limit
            if q.carry_over_cap is not None:
                amount = {"limit": amount, "carry_over_cap": q.carry_over_cap}
                if q.expires_after_days is not None:
                    amount["expires_after_days"] = q.expires_after_days
            lines.append(f"{_key(q.quota)} = {_value(amount)}")
        lines.append("")
    by_level: dict[str, list[models.CompletenessMultiplier]] = {}
    for row in models.CompletenessMultiplier.objects.all():
        by_level.setdefault(row.level, []).append(row)
    for level in LEVELS:
        if level in by_level:
            lines.append(f"[completeness.{level}]")
            lines += [f"{_key(r.quota)} = {_value(r.multiplier)}" for r in by_level[level]]
            lines.append("")
    for zone in models.Zone.objects.prefetch_related("countries"):
        lines += [
            f"[zones.{_key(zone.code)}]",
            f"name = {_value(zone.name)}",
            f"default = {_value(zone.is_default)}",
            f"countries = {_value([c.country for c in zone.countries.all()])}",
            "",
        ]
    for price in models.Price.objects.select_related("plan", "zone"):
        lines += [
            f"[prices.{_key(price.plan.code)}.{_key(price.zone.code)}]",
            f"currency = {_value(price.currency)}",
            f"monthly = {_value(price.monthly)}",
            f"yearly_discount = {_value(price.yearly_discount)}",
            f"tax_rate = {_value(price.tax_rate)}",
            "",
        ]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------- import


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def table(self, where: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.error(where, "must be a table")
            return {}
        return value

    def keys(self, where: str, table: dict[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                self.error(where, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")

    def integer(self, where: str, value: Any, *, low: int = 0, high: int = models.MAX_AMOUNT) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"must be a whole number, not {value!r}")
            return None
        if not low <= value <= high:
            self.error(where, f"must be between {low} and {high}, not {value}")
            return None
        return value

    def decimal(self, where: str, value: Any, *, low: Decimal, high: Decimal) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.error(where, f"must be a number, not {value!r}")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(where, f"must be a number, not {value!r}")
            return None
        if not number.is_finite() or not low <= number <= high:
            self.error(where, f"must be between {low} and {high}, not {value}")
            return None
        return number

    def boolean(self, where: str, value: Any) -> bool:
        if not isinstance(value, bool):
            self.error(where, f"must be true or false, not {value!r}")
            return False
        return value

    def text(self, where: str, value: Any, *, required: bool = True, max_length: int = 200) -> str:
        if not isinstance(value, str) or (required and not value.strip()) or len(value) > max_length:
            self.error(
                where,
                f"must be a text of at most {max_length} characters" + (", not empty" if required else ""),
            )
            return ""
        return value


def parse_config(text: str) -> dict[str, Any]:
    """Validate a TOML text and return the normalised configuration, or raise ConfigError listing every
    problem. Reads the database only to check that no member loses their plan or their price."""
    from entregent.profiles.countries import COUNTRY_CODES
    from entregent.profiles.models import Profile

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"not a valid TOML file: {error}"]) from None
    c = _Checker()
    c.keys("file", data, {"trial", "plans", "completeness", "zones", "prices"})

    plans: dict[str, dict[str, Any]] = {}
    for code, raw in c.table("plans", data.get("plans", {})).items():
        where = f"plans.{code}"
        raw = c.table(where, raw)
        if not _SLUG.match(code):
            c.error(where, "a plan code is lowercase letters, digits, - and _ (at most 40)")
        c.keys(where, raw, {"name", "description", "position", "default", "public", "features", "quotas"})
        plan = {
            "name": c.text(f"{where}.name", raw.get("name"), max_length=80),
            "description": c.text(
                f"{where}.description", raw.get("description", ""), required=False, max_length=2000
            ),
            "position": c.integer(f"{where}.position", raw.get("position", 0), high=100_000) or 0,
            "is_default": c.boolean(f"{where}.default", raw.get("default", False)),
            "is_public": c.boolean(f"{where}.public", raw.get("public", True)),
            "features": {},
            "quotas": {},
        }
        for name, value in c.table(f"{where}.features", raw.get("features", {})).items():
            if name not in REGISTRY.features:
                c.error(f"{where}.features", f"unknown feature {name!r}")
                continue
            plan["features"][name] = c.boolean(f"{where}.features.{name}", value)
        for name, value in c.table(f"{where}.quotas", raw.get("quotas", {})).items():
            qwhere = f"{where}.quotas.{name}"
            if name not in REGISTRY.quotas:
                c.error(f"{where}.quotas", f"unknown quota {name!r}")
                continue
            numbers: dict[str, Any] = {"limit": None, "carry_over_cap": None, "expires_after_days": None}
            if isinstance(value, dict):
                c.keys(qwhere, value, {"limit", "carry_over_cap", "expires_after_days"})
                amount = value.get("limit", UNLIMITED)
                if "carry_over_cap" in value:
                    numbers["carry_over_cap"] = c.integer(f"{qwhere}.carry_over_cap", value["carry_over_cap"])
                if "expires_after_days" in value:
                    numbers["expires_after_days"] = c.integer(
                        f"{qwhere}.expires_after_days",
                        value["expires_after_days"],
                        low=1,
                        high=models.MAX_DAYS,
                    )
            else:
                amount = value
            if amount != UNLIMITED:
                numbers["limit"] = c.integer(qwhere, amount)
            cap, expiry, limit = numbers["carry_over_cap"], numbers["expires_after_days"], numbers["limit"]
            if cap is not None:
                if REGISTRY.quotas[name].window != MONTH:
                    c.error(qwhere, "only monthly quotas can carry over")
                elif limit is None:
                    c.error(qwhere, "an unlimited quota cannot carry over")
                elif cap < limit:
                    c.error(qwhere, f"carry_over_cap ({cap}) cannot be below the limit ({limit})")
            if expiry is not None and cap is None:
                c.error(qwhere, "expires_after_days needs carry_over_cap")
            plan["quotas"][name] = numbers
        plans[code] = plan
    if not plans:
        c.error("plans", "at least one plan is needed")
    defaults = [code for code, plan in plans.items() if plan["is_default"]]
    if plans and len(defaults) != 1:
        c.error("plans", f"exactly one plan must have default = true (found {len(defaults)})")
    held = set(
        models.PlanAssignment.objects.exclude(plan__code__in=list(plans)).values_list("plan__code", flat=True)
    )
    for code in sorted(held):
        c.error(
            f"plans.{code}", "members hold this plan: it cannot be removed (move them to another plan first)"
        )

    trial = None
    if "trial" in data:
        raw = c.table("trial", data["trial"])
        c.keys("trial", raw, {"enabled", "plan", "days", "warn_days_before"})
        trial = {
            "enabled": c.boolean("trial.enabled", raw.get("enabled", True)),
            "plan": raw.get("plan"),
            "days": c.integer("trial.days", raw.get("days", 30), low=1, high=365),
            "warn_days_before": c.integer("trial.warn_days_before", raw.get("warn_days_before", 7), high=365),
        }
        if trial["plan"] not in plans:
            c.error("trial.plan", f"unknown plan {trial['plan']!r}")

    completeness: list[tuple[str, str, Decimal]] = []
    for level, raw in c.table("completeness", data.get("completeness", {})).items():
        if level not in LEVELS:
            c.error("completeness", f"unknown level {level!r} (levels: {', '.join(LEVELS)})")
            continue
        for name, value in c.table(f"completeness.{level}", raw).items():
            if name not in REGISTRY.quotas:
                c.error(f"completeness.{level}", f"unknown quota {name!r}")
                continue
            multiplier = c.decimal(
                f"completeness.{level}.{name}", value, low=Decimal(0), high=models.MAX_MULTIPLIER
            )
            if multiplier is not None:
                completeness.append((level, name, multiplier))

    zones: dict[str, dict[str, Any]] = {}
    seen: dict[str, str] = {}
    for code, raw in c.table("zones", data.get("zones", {})).items():
        where = f"zones.{code}"
        raw = c.table(where, raw)
        if not _SLUG.match(code):
            c.error(where, "a zone code is lowercase letters, digits, - and _ (at most 40)")
        c.keys(where, raw, {"name", "default", "countries"})
        countries = raw.get("countries", [])
        if not isinstance(countries, list):
            c.error(f"{where}.countries", "must be a list of country codes")
            countries = []
        for country in countries:
            if country not in COUNTRY_CODES:
                c.error(
                    f"{where}.countries", f"unknown country code {country!r} (ISO 3166-1 alpha-2, e.g. FR)"
                )
            elif country in seen:
                c.error(f"{where}.countries", f"{country} is already in zone {seen[country]!r}")
            else:
                seen[country] = code
        zones[code] = {
            "name": c.text(f"{where}.name", raw.get("name"), max_length=80),
            "is_default": c.boolean(f"{where}.default", raw.get("default", False)),
            "countries": [country for country in countries if seen.get(country) == code],
        }
    if sum(zone["is_default"] for zone in zones.values()) > 1:
        c.error("zones", "at most one zone can have default = true")
    if zones and not any(zone["is_default"] for zone in zones.values()):
        homeless = sorted(
            set(Profile.objects.exclude(country="").values_list("country", flat=True).distinct()) - set(seen)
        )
        if homeless:
            c.error(
                "zones",
                "members live in countries no zone covers and there is no default zone: "
                + ", ".join(homeless),
            )

    prices: list[dict[str, Any]] = []
    for plan_code, per_zone in c.table("prices", data.get("prices", {})).items():
        if plan_code not in plans:
            c.error("prices", f"unknown plan {plan_code!r}")
            continue
        for zone_code, raw in c.table(f"prices.{plan_code}", per_zone).items():
            where = f"prices.{plan_code}.{zone_code}"
            if zone_code not in zones:
                c.error(where, f"unknown zone {zone_code!r}")
                continue
            raw = c.table(where, raw)
            c.keys(where, raw, {"currency", "monthly", "yearly_discount", "tax_rate"})
            currency = raw.get("currency")
            if not isinstance(currency, str) or not _CURRENCY.match(currency):
                c.error(f"{where}.currency", "use a three-letter ISO 4217 code in capitals, e.g. EUR")
            prices.append(
                {
                    "plan": plan_code,
                    "zone": zone_code,
                    "currency": currency,
                    "monthly": c.decimal(
                        f"{where}.monthly", raw.get("monthly"), low=Decimal(0), high=Decimal(100000)
                    ),
                    "yearly_discount": c.decimal(
                        f"{where}.yearly_discount",
                        raw.get("yearly_discount", 0),
                        low=Decimal(0),
                        high=Decimal(90),
                    ),
                    "tax_rate": c.decimal(
                        f"{where}.tax_rate", raw.get("tax_rate", 0), low=Decimal(0), high=Decimal(50)
                    ),
                }
            )
    if c.errors:
        raise ConfigError(c.errors)
    return {"plans": plans, "trial": trial, "completeness": completeness, "zones": zones, "prices": prices}


def _save(obj: Any, where: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ConfigError([f"{where}: {message}" for message in error.messages]) from None
    obj.save()


def import_config(text: str) -> dict[str, int]:
    """Replace the configuration with the file's, all or nothing. Returns counts of what was written."""
    config = parse_config(text)
    with transaction.atomic():
        existing = {plan.code: plan for plan in models.Plan.objects.select_for_update()}
        # The one-default constraint: clear the flag before setting it again.
        models.Plan.objects.filter(is_default=True).update(is_default=False)
        plans = {}
        for code, spec in config["plans"].items():
            plan = existing.get(code) or models.Plan(code=code)
            for field in ("name", "description", "position", "is_default", "is_public"):
                setattr(plan, field, spec[field])
            _save(plan, f"plans.{code}")
            plans[code] = plan
            plan.features.all().delete()
            plan.quotas.all().delete()
            for name, enabled in spec["features"].items():
                _save(
                    models.FeatureGrant(plan=plan, feature=name, enabled=enabled),
                    f"plans.{code}.features.{name}",
                )
            for name, numbers in spec["quotas"].items():
                _save(models.QuotaLimit(plan=plan, quota=name, **numbers), f"plans.{code}.quotas.{name}")
        if config["trial"] is not None:
            trial = models.TrialSettings.objects.first() or models.TrialSettings()
            trial.enabled = config["trial"]["enabled"]
            trial.plan = plans[config["trial"]["plan"]]
            trial.days = config["trial"]["days"]
            trial.warn_days_before = config["trial"]["warn_days_before"]
            _save(trial, "trial")
        else:
            models.TrialSettings.objects.all().delete()
        removed = [plan for code, plan in existing.items() if code not in plans]
        for plan in removed:
            plan.delete()  # PROTECT stops it if a member holds it; parse_config said so already
        models.CompletenessMultiplier.objects.all().delete()
        for level, name, multiplier in config["completeness"]:
            _save(
                models.CompletenessMultiplier(level=level, quota=name, multiplier=multiplier),
                f"completeness.{level}.{name}",
            )
        models.Zone.objects.all().delete()  # countries and prices go with them
        zones = {}
        for code, spec in config["zones"].items():
            zone = models.Zone(code=code, name=spec["name"], is_default=spec["is_default"])
            _save(zone, f"zones.{code}")
            zones[code] = zone
            for country in spec["countries"]:
                _save(models.ZoneCountry(zone=zone, country=country), f"zones.{code}.countries")
        for spec in config["prices"]:
            _save(
                models.Price(
                    plan=plans[spec["plan"]],
                    zone=zones[spec["zone"]],
                    currency=spec["currency"],
                    monthly=spec["monthly"],
                    yearly_discount=spec["yearly_discount"],
                    tax_rate=spec["tax_rate"],
                ),
                f"prices.{spec['plan']}.{spec['zone']}",
            )
    return {
        "plans": len(plans),
        "removed_plans": len(removed),
        "multipliers": len(config["completeness"]),
        "zones": len(zones),
        "prices": len(config["prices"]),
    }
