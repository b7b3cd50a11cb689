"""The Free plan's pending introductions go from 3 to 5 (the network issue's default), where the operator
has not changed the limit."""

from django.db import migrations


def five(apps, schema_editor):
    QuotaLimit = apps.get_model("plans", "QuotaLimit")
    QuotaLimit.objects.filter(plan__code="free", quota="introductions.pending", limit=3).update(limit=5)


def three(apps, schema_editor):
    QuotaLimit = apps.get_model("plans", "QuotaLimit")
    QuotaLimit.objects.filter(plan__code="free", quota="introductions.pending", limit=5).update(limit=3)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_subscriptions")]

    operations = [migrations.RunPython(five, three)]
