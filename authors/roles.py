"""
Plume's roles, as Django groups (created by a data migration).

- Contributor: writes their own drafts, cannot publish.
- Author: writes and publishes their own posts, and moderates the comments on them.
- Editor: every post and page, categories and tags, comment moderation, and webhooks.
"""

CONTRIBUTOR = "Contributor"
AUTHOR = "Author"
EDITOR = "Editor"

_OWN_POSTS = ["add_post", "change_post", "delete_post", "view_post"]
_TAXONOMY_VIEW = ["view_category", "view_tag"]
# Images of the media library: authors upload and change their own (blog.permissions), editors all.
_MEDIA = [f"{action}_media" for action in ("add", "change", "delete", "view")]
# Authors moderate the comments on their own posts only: comments.permissions enforces
# the "own posts" part.
_MODERATE_OWN = ["view_comment", "change_comment", "moderate_comment", "view_commentreport"]

# app label -> codenames, per role
ROLE_PERMISSIONS = {
    CONTRIBUTOR: {
        "blog": _OWN_POSTS + _TAXONOMY_VIEW + ["add_tag"],
        "authors": ["view_author", "change_author"],
    },
    AUTHOR: {
        "blog": _OWN_POSTS + _TAXONOMY_VIEW + _MEDIA + ["add_tag", "publish_post"],
        "authors": ["view_author", "change_author"],
        "comments": _MODERATE_OWN,
    },
    EDITOR: {
        "blog": _OWN_POSTS
        + ["publish_post", "edit_others_posts"]
        + _MEDIA
        + [
            f"{action}_{model}"
            for model in ("category", "tag", "page")
            for action in ("add", "change", "delete", "view")
        ],
        "authors": ["view_author", "change_author"],
        "comments": _MODERATE_OWN
        + ["delete_comment", "moderate_others_comments"]
        + [f"{action}_moderationword" for action in ("add", "change", "delete", "view")],
        # Webhooks (the webhooks app): their endpoints, and the log of deliveries (read only).
        "webhooks": [f"{action}_endpoint" for action in ("add", "change", "delete", "view")]
        + ["view_delivery"],
    },
}


def sync_role_groups(apps=None):
    """Create or update the role groups with their permissions (idempotent)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for app_label, codenames in by_app.items():
            wanted += list(
                Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )
        group.permissions.add(*wanted)
