#!/usr/bin/env python3
"""pdf-outline.py FILE.pdf — prints the PDF outline as JSON lines with pypdf:
{"depth": d, "title": "...", "page": N (1-based)} for every bookmark, depth first.
Also checks that every bookmark has a destination page; exits 1 otherwise."""
import json
import sys

from pypdf import PdfReader


def walk(reader, items, depth, out):
    for item in items:
        if isinstance(item, list):
            walk(reader, item, depth + 1, out)
            continue
        page = reader.get_destination_page_number(item)
        out.append({"depth": depth, "title": item.title, "page": None if page is None else page + 1})


def main():
    if len(sys.argv) != 2:
        print("usage: pdf-outline.py FILE.pdf", file=sys.stderr)
        return 2
    reader = PdfReader(sys.argv[1])
    entries = []
    walk(reader, reader.outline, 0, entries)
    bad = [e for e in entries if e["page"] is None]
    for e in entries:
        print(json.dumps(e, ensure_ascii=False))
    if bad or not entries:
        print(f"pdf-outline: {len(bad)} bookmark(s) without a page, {len(entries)} in all", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
