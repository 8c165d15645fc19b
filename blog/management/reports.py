"""What the import and repair commands print: one label per kind, and a plain aligned table."""

from django.utils.translation import pgettext_lazy

KIND_LABELS = {
    "authors": pgettext_lazy("import report", "Authors"),
    "categories": pgettext_lazy("import report", "Categories"),
    "tags": pgettext_lazy("import report", "Tags"),
    "posts": pgettext_lazy("import report", "Posts"),
    "pages": pgettext_lazy("import report", "Pages"),
    "comments": pgettext_lazy("import report", "Comments"),
    "redirects": pgettext_lazy("import report", "Redirects"),
}


def write_table(write, headers, rows):
    """Write `rows` under `headers`: the first column left-aligned, the numbers right-aligned."""
    table = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)
        ]
        write("  ".join(cells))
