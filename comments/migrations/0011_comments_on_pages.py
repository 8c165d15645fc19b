# Comments and subscriptions on pages beside posts: exactly one of the two, checked by the database.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('blog', '0012_page_allow_comments'),
        ('comments', '0010_comment_edited'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='page',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='blog.page', verbose_name='page'),
        ),
        migrations.AddField(
            model_name='subscription',
            name='page',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comment_subscriptions', to='blog.page', verbose_name='page'),
        ),
        migrations.AlterField(
            model_name='comment',
            name='post',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='blog.post', verbose_name='post'),
        ),
        migrations.AlterField(
            model_name='subscription',
            name='post',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='comment_subscriptions', to='blog.post', verbose_name='post'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['page', 'status', 'created_at'], name='comment_page_status_idx'),
        ),
        migrations.AddIndex(
            model_name='subscription',
            index=models.Index(fields=['page', 'scope'], name='subscription_page_scope_idx'),
        ),
        migrations.AddConstraint(
            model_name='comment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('page__isnull', True), ('post__isnull', False)), models.Q(('page__isnull', False), ('post__isnull', True)), _connector='OR'), name='comment_on_post_or_page'),
        ),
        migrations.AddConstraint(
            model_name='subscription',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('page__isnull', True), ('post__isnull', False)), models.Q(('page__isnull', False), ('post__isnull', True)), _connector='OR'), name='subscription_on_post_or_page'),
        ),
    ]
