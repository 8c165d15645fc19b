"""What report-printing commands share: a plain aligned table."""


def write_table(write, headers, rows):
    """Write `rows` under `headers`: the first column left-aligned, the numbers right-aligned."""
    table = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)
        ]
        write("  ".join(cells))
