from django.db import migrations, models
from django.utils import timezone


def start_the_clock(apps, schema_editor):
    # Nothing is known of earlier changes: count them as now, so no earlier copy is taken for current.
    apps.get_model("core", "ContentClock").objects.using(schema_editor.connection.alias).create(
        pk=1, changed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ContentClock",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("changed_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(start_the_clock, migrations.RunPython.noop),
    ]
