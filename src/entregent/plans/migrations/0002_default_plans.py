"""Create the default plans (Free, Career, Business, Sales), the trial, completeness multipliers and zones."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from entregent.plans.engine import ensure_default_plans

    ensure_default_plans(apps)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
