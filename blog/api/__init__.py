"""The blog's REST API: posts (read and write), categories, tags and pages.

`serializers` (the JSON shapes), `filters` (the query parameters), `views` (the
endpoints, registered by `plume.api.urls`).

Reads start from the selectors the site uses (`blog.selectors`), so the API
shows exactly what the site shows. Writes follow the admin's role rules:
contributors write their own drafts, authors publish their own posts, editors
do anything to any post.
"""
