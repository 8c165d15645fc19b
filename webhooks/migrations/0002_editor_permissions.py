from django.db import migrations


def grant_webhooks(apps, schema_editor):
    # The grants are listed in authors.roles.ROLE_PERMISSIONS ("webhooks" entries).
    from authors.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("authors", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant_webhooks, migrations.RunPython.noop)]
