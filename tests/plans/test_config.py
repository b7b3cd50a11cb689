import pytest
from django.core.management import CommandError, call_command

from entregent.plans import engine
from entregent.plans.config import ConfigError, export_config, import_config
from entregent.plans.models import CompletenessMultiplier, Plan, Price, QuotaLimit, Zone
from entregent.plans.services import plan_assign
from tests.factories import member

pytestmark = pytest.mark.django_db


def _body(text: str) -> str:
    return text.split("\n", 2)[2]  # without the dated header line


def _snapshot():
    return tuple(
        sorted(rows, key=str)
        for rows in (
            Plan.objects.values_list("code", "name", "is_default"),
            QuotaLimit.objects.values_list(
                "plan__code", "quota", "limit", "carry_over_cap", "expires_after_days"
            ),
            CompletenessMultiplier.objects.values_list("level", "quota", "multiplier"),
            Zone.objects.values_list("code", "is_default"),
            Price.objects.values_list("plan__code", "zone__code", "monthly", "currency"),
        )
    )


def test_export_then_import_gives_the_same_configuration():
    text = export_config()
    before = _snapshot()
    import_config(text)
    assert _snapshot() == before
    assert _body(export_config()) == _body(text)


def test_import_changes_numbers_the_engine_then_uses(tmp_path, free_member):
    text = export_config().replace('"search.monthly" = 300', '"search.monthly" = 12')
    path = tmp_path / "plans.toml"
    path.write_text(text)
    call_command("plans", "import", str(path))
    assert QuotaLimit.objects.get(plan__code="free", quota="search.monthly").limit == 12
    assert engine.limit(free_member, "search.monthly") == 12


def test_export_command_writes_a_file(tmp_path):
    path = tmp_path / "out.toml"
    call_command("plans", "export", str(path))
    assert "[plans.sales.quotas]" in path.read_text()
    assert (
        '"inmail.credits" = { limit = 50, carry_over_cap = 150, expires_after_days = 90 }' in path.read_text()
    )


BAD = [
    (
        '"search.monthly" = 300',
        '"search.monthly" = -5',
        "plans.free.quotas.search.monthly: must be between 0",
    ),
    ('"search.monthly" = 300', '"search.monthly" = 99999999999', "must be between 0 and 1000000"),
    ('"search.monthly" = 300', '"search.monthly" = "lots"', "must be a whole number"),
    ('"search.monthly" = 300', '"free.lunch" = 3', "unknown quota 'free.lunch'"),
    ('"inmail.send" = false', '"inmail.teleport" = true', "unknown feature 'inmail.teleport'"),
    ('countries = ["CH", "LI"]', 'countries = ["CH", "XX"]', "unknown country code 'XX'"),
    ('countries = ["CH", "LI"]', 'countries = ["CH", "FR"]', "FR is already in zone 'europe'"),
    ('plan = "career"', 'plan = "platinum"', "trial.plan: unknown plan 'platinum'"),
    ("[prices.sales.world]", "[prices.sales.mars]", "unknown zone 'mars'"),
    ('currency = "CHF"', 'currency = "swiss francs"', "three-letter ISO 4217"),
    (
        '"invitations.weekly" = "0.5"',
        '"invitations.weekly" = 50',
        "completeness.beginner.invitations.weekly: must be between 0 and 10",
    ),
    ("[completeness.beginner]", "[completeness.rookie]", "unknown level 'rookie'"),
    (
        '"inmail.credits" = { limit = 50, carry_over_cap = 150',
        '"inmail.credits" = { limit = 50, carry_over_cap = 10',
        "cannot be below the limit",
    ),
    (
        '"invitations.weekly" = 100',
        '"invitations.weekly" = { limit = 100, carry_over_cap = 200 }',
        "only monthly quotas can carry over",
    ),
    (
        "default = true\npublic = true",
        "default = false\npublic = true",
        "exactly one plan must have default = true",
    ),
    ("[trial]", "[trial", "not a valid TOML file"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD)
def test_bad_file_is_refused_with_a_clear_message_and_nothing_changes(old, new, message):
    text = export_config()
    assert old in text
    before = _snapshot()
    with pytest.raises(ConfigError) as caught:
        import_config(text.replace(old, new, 1))
    if message:
        assert any(message in error for error in caught.value.errors), caught.value.errors
    assert _snapshot() == before


def test_a_country_left_without_zone_is_refused_when_no_default_zone_exists():
    member(country="JP")
    text = (
        export_config()
        .replace("is_default = true", "")
        .replace('name = "Rest of the world"\ndefault = true', 'name = "Rest of the world"\ndefault = false')
    )
    with pytest.raises(ConfigError) as caught:
        import_config(text)
    assert any("JP" in error and "no zone" in error for error in caught.value.errors)


def _without_plan(text: str, code: str) -> str:
    """The file with every table of one plan (its own, its features, quotas and prices) removed."""
    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith("["):
            skipping = line.startswith((f"[plans.{code}]", f"[plans.{code}.", f"[prices.{code}."))
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def test_removing_a_plan_members_hold_is_refused(free_member):
    plan_assign(member=free_member, plan="business")
    before = _snapshot()
    with pytest.raises(ConfigError) as caught:
        import_config(_without_plan(export_config(), "business"))
    assert "plans.business: members hold this plan" in caught.value.errors[0]
    assert _snapshot() == before


def test_removing_a_plan_nobody_holds_works():
    counts = import_config(_without_plan(export_config(), "business"))
    assert counts["removed_plans"] == 1
    assert not Plan.objects.filter(code="business").exists()
    assert not Price.objects.filter(plan__code="business").exists()


def test_import_command_reports_every_error_and_changes_nothing(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        export_config()
        .replace('"search.monthly" = 300', '"search.monthly" = -1')
        .replace('"inmail.send" = false', '"teleport" = true', 1)
    )
    before = _snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("plans", "import", str(path))
    assert "nothing changed" in str(caught.value)
    assert "search.monthly" in str(caught.value) and "teleport" in str(caught.value)
    assert _snapshot() == before


def test_check_option_validates_without_importing(tmp_path, capsys):
    path = tmp_path / "plans.toml"
    path.write_text(export_config().replace('"search.monthly" = 300', '"search.monthly" = 7'))
    call_command("plans", "import", str(path), "--check")
    assert QuotaLimit.objects.get(plan__code="free", quota="search.monthly").limit == 300
