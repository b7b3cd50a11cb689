import unicodedata

from django.db import migrations, models


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fill_search_name(apps, schema_editor):
    Profile = apps.get_model("profiles", "Profile")
    batch = []
    for profile in Profile.objects.only("pk", "first_name", "last_name").iterator(chunk_size=2000):
        profile.search_name = fold(f"{profile.first_name} {profile.last_name}")
        batch.append(profile)
        if len(batch) >= 2000:
            Profile.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Profile.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="search_name",
            field=models.CharField(blank=True, editable=False, max_length=121),
        ),
        migrations.RunPython(fill_search_name, migrations.RunPython.noop),
    ]
