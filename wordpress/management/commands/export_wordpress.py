from wordpress.exporter import wordpress_export
from wordpress.management.export_command import ExportCommand


class Command(ExportCommand):
    help = (
        "Export the whole site as a WordPress export (WXR 1.2 file): authors, categories, tags, posts and "
        "pages with every status, comments with their threads, redirects. WordPress and import_wordpress "
        "read it."
    )
    kind = "WXR"
    suffix = ".xml"

    def export(self, *, out, include_emails):
        return wordpress_export(out=out, include_emails=include_emails)
