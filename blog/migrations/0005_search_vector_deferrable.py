"""A bulk load may compute the search documents itself, once per distinct body.

The trigger of migration 0003 computes the document of every row it sees:
about 8 ms for a 1,500-word post, so most of an import's time. Within a
transaction that sets `plume.defer_search_vector` (`SET LOCAL`), it now leaves
`search_vector` as the writer set it; `blog.search.refresh_search_vectors`
fills it for the rows written, computing each distinct body once. Every other
writer is unchanged: the trigger still computes the document.
"""

from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('plume_french', COALESCE(NEW.title, '')), 'A')"
    " || setweight(to_tsvector('plume_french', COALESCE(to_jsonb(NEW) ->> 'summary', '')), 'B')"
    " || setweight(to_tsvector('plume_french', COALESCE(NEW.body, '')), 'C')"
)


def function(*, deferrable):
    skip = (
        "IF current_setting('plume.defer_search_vector', true) = 'on' THEN RETURN NEW; END IF;"
        if deferrable
        else ""
    )
    return f"""CREATE OR REPLACE FUNCTION blog_search_vector_update() RETURNS trigger AS $$
    BEGIN
        {skip}
        NEW.search_vector := {DOCUMENT};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql"""


def run(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("blog", "0004_listing_order_indexes")]

    operations = [
        migrations.RunPython(run(function(deferrable=True)), run(function(deferrable=False))),
    ]
