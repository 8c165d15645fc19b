# Pages take comments when an editor allows it (off by default: existing pages stay as they were).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('blog', '0011_media'),
    ]

    operations = [
        migrations.AddField(
            model_name='page',
            name='allow_comments',
            field=models.BooleanField(default=False, help_text='Readers may comment on this page (a guestbook, an “about” page).', verbose_name='allow comments'),
        ),
    ]
