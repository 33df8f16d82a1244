#!/usr/bin/env python3
"""A folio external exporter: word counts per page, as CSV.

folio runs it as `python3 exporters/external/wordcount.py OUT_DIR`, with the document model on
standard input as JSON: {"format_version", "name", "options", "corpus"}. Whatever it writes in
OUT_DIR becomes `dist/<name>/`. A non-zero exit makes folio report the format as failed and keep
its previous output.
"""
import csv
import json
import sys


def inline_text(inlines):
    out = []
    for i in inlines:
        kind, value = i["type"], i.get("value")
        if kind in ("text", "code"):
            out.append(value)
        elif kind in ("emphasis", "strong", "strikethrough"):
            out.append(inline_text(value))
        elif kind == "link":
            out.append(inline_text(value["content"]))
        elif kind in ("line_break", "soft_break"):
            out.append(" ")
    return "".join(out)


def block_text(block):
    """Text of a block and its children; every block type of the JSON Schema is handled."""
    kind = block["type"]
    parts = []
    if kind in ("heading", "paragraph"):
        parts.append(inline_text(block["content"]))
    elif kind in ("code", "raw"):
        parts.append(block["text"])
    elif kind == "diagram":
        parts.append(block["source"])
    elif kind == "table":
        for row in [block["header"], *block["rows"]]:
            parts.extend(inline_text(cell) for cell in row)
    elif kind == "list":
        for item in block["items"]:
            parts.extend(block_text(b) for b in item["blocks"])
    elif kind == "section":
        parts.append(inline_text(block["title"]))
    elif kind == "card":
        parts.extend([block["title"], block.get("description") or ""])
    elif kind == "callout":
        parts.append(block.get("title") or "")
    elif kind == "page_list":
        parts.extend(item["title"] for item in block["items"])
    for child in block.get("blocks", []):
        parts.append(block_text(child))
    return " ".join(parts)


def main():
    out_dir = sys.argv[1]
    payload = json.load(sys.stdin)
    if payload["format_version"] != 1:
        sys.exit(f"wordcount: unsupported folio model version {payload['format_version']}")
    with open(f"{out_dir}/wordcount.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["key", "title", "words"])
        for page in payload["corpus"]["pages"]:
            text = " ".join(block_text(b) for b in page["blocks"])
            writer.writerow([page["key"], page["title"], len(text.split())])


if __name__ == "__main__":
    main()
