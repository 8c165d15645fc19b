"""Full-text search on PostgreSQL: French stemming that ignores accents, and its index.

`plume_french` is PostgreSQL's `french` configuration with `unaccent` applied
before the stemmer, so "competition" and "compétition" meet. The GIN index is
on exactly the weighted document `blog.search` queries (title A, summary B,
body C); if one changes, the other must too, or the index stops being used.
Other databases (SQLite) get nothing: `blog.search` falls back to containment.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION plume_french ( COPY = pg_catalog.french )",
    "ALTER TEXT SEARCH CONFIGURATION plume_french "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "CREATE INDEX blog_post_search_idx ON blog_post USING GIN (("
    "(setweight(to_tsvector('plume_french'::regconfig, COALESCE(\"blog_post\".\"title\", '')), 'A')"
    " || setweight(to_tsvector('plume_french'::regconfig, COALESCE(\"blog_post\".\"summary\", '')), 'B'))"
    " || setweight(to_tsvector('plume_french'::regconfig, COALESCE(\"blog_post\".\"body\", '')), 'C')"
    "))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS blog_post_search_idx",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS plume_french",
    # The unaccent extension stays: other objects in the database may use it.
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
    ]
