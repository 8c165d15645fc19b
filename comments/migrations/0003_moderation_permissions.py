from django.db import migrations


def grant_moderation(apps, schema_editor):
    # The grants are listed in authors.roles.ROLE_PERMISSIONS ("comments" entries);
    # syncing again now creates the new comment permissions and adds them to the groups.
    from authors.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_moderation_words_and_reports"),
        ("authors", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant_moderation, migrations.RunPython.noop)]
