#!/usr/bin/env python3
"""Checks one export as a spreadsheet user and a CSV reader would see it.

Usage: check.py FILE.xlsx FILE.csv TYPES_JSON

The XLSX is opened with openpyxl: one sheet, the header row bold with an
autofilter over the table and frozen (panes at A2); each column named in
TYPES_JSON ({"column": "date" | "datetime" | "int" | "bool" | "text"}) holds only
values of that type or nothing, and at least one. The CSV (UTF-8 with a BOM, `;`)
has the same header and the same number of rows. Prints a JSON summary.
"""
import csv
import datetime
import io
import json
import sys

import openpyxl


def fail(msg):
    print(f"FEL: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    xlsx_path, csv_path, types = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    book = openpyxl.load_workbook(xlsx_path)
    if len(book.worksheets) != 1:
        fail(f"{xlsx_path}: {len(book.worksheets)} sheets")
    ws = book.worksheets[0]
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    if not all(c.font.b for c in rows[0]):
        fail(f"{xlsx_path}: the header row is not bold")
    if ws.freeze_panes != "A2":
        fail(f"{xlsx_path}: panes frozen at {ws.freeze_panes}, expected A2")
    if not ws.auto_filter.ref or not ws.auto_filter.ref.startswith("A1:"):
        fail(f"{xlsx_path}: no autofilter on the header row ({ws.auto_filter.ref})")
    want = {
        "date": lambda v: isinstance(v, datetime.datetime) and v.time() == datetime.time(0),
        "datetime": lambda v: isinstance(v, datetime.datetime),
        "int": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer(),
        "bool": lambda v: isinstance(v, bool),
        "text": lambda v: isinstance(v, str),
    }
    for name, kind in types.items():
        if name not in header:
            fail(f"{xlsx_path}: no column {name!r} in {header}")
        i = header.index(name)
        values = [r[i].value for r in rows[1:] if r[i].value is not None]
        if not values:
            fail(f"{xlsx_path}: column {name!r} is empty")
        bad = [v for v in values if not want[kind](v)]
        if bad:
            fail(f"{xlsx_path}: column {name!r} should hold {kind}, has {bad[0]!r} ({type(bad[0]).__name__})")
        if kind in ("date", "datetime"):
            fmt = rows[1 + [r[i].value for r in rows[1:]].index(values[0])][i].number_format
            if "yy" not in fmt:
                fail(f"{xlsx_path}: column {name!r} has number format {fmt!r}, not a date format")
    raw = open(csv_path, "rb").read()
    if not raw.startswith(b"\xef\xbb\xbf"):
        fail(f"{csv_path}: no UTF-8 byte-order mark")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    if table[0] != header:
        fail(f"{csv_path}: header {table[0]} differs from the XLSX's {header}")
    if len(table) != len(rows):
        fail(f"{csv_path}: {len(table) - 1} rows, the XLSX has {len(rows) - 1}")
    print(json.dumps({"sheet": ws.title, "rows": len(rows) - 1, "columns": len(header)}))


if __name__ == "__main__":
    main()
