from wordpress.json_export import json_export
from wordpress.management.export_command import ExportCommand


class Command(ExportCommand):
    help = (
        "Export the whole site as one JSON file, for other tools: authors, categories, tags, posts and "
        "pages with every status, comments with their threads, redirects."
    )
    kind = "JSON"
    suffix = ".json"

    def export(self, *, out, include_emails):
        return json_export(out=out, include_emails=include_emails)
