"""Full-text search reads a stored document instead of computing it per row.

Migration 0002 indexed an expression: matching used the index, but PostgreSQL
recomputed the document of every matching post to recheck and rank it, which
took seconds once thousands of long posts matched. Now a trigger keeps
`search_vector` (title A, summary B, body C, with `plume_french`) up to date
on every insert and update, whoever writes the row (model saves, bulk imports,
SQL), and the GIN index is on that column. Other databases get the empty
column only: `blog.search` falls back to containment there.
"""

import django.contrib.postgres.search
from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('plume_french', COALESCE(NEW.title, '')), 'A')"
    " || setweight(to_tsvector('plume_french', COALESCE(to_jsonb(NEW) ->> 'summary', '')), 'B')"
    " || setweight(to_tsvector('plume_french', COALESCE(NEW.body, '')), 'C')"
)
FORWARD = [
    "DROP INDEX IF EXISTS blog_post_search_idx",
    f"""CREATE FUNCTION blog_search_vector_update() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := {DOCUMENT};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
]
BACKWARD = ["DROP FUNCTION IF EXISTS blog_search_vector_update() CASCADE"]
for table in ("blog_post", "blog_page"):
    FORWARD += [
        f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION blog_search_vector_update()",
        f"UPDATE {table} SET title = title",
        # Without the pending list, the planner sees fresh entries at once and uses the index.
        f"CREATE INDEX {table}_search_idx ON {table} USING GIN (search_vector) WITH (fastupdate = off)",
    ]
    BACKWARD.insert(0, f"DROP INDEX IF EXISTS {table}_search_idx")


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0002_post_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="post",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
    ]
