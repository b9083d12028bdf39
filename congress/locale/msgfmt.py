"""Compiles the .po catalogues under congress/locale into the .mo files Python's gettext reads,
with the standard library only (GNU msgfmt need not be installed):

    python congress/locale/msgfmt.py
"""
from __future__ import annotations

import ast
import struct
from pathlib import Path

HERE = Path(__file__).parent


def read_po(text: str) -> dict[str, str]:
    """msgid → msgstr; a plural entry is keyed "singular\\0plural" with its forms joined by \\0, as in a .mo."""
    entries: dict[str, str] = {}
    fields: dict[str, str] = {}
    current = None

    def flush():
        if "msgid" in fields:
            key = fields["msgid"] + ("\0" + fields["msgid_plural"] if "msgid_plural" in fields else "")
            forms = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr"))]
            entries[key] = "\0".join(forms)
        fields.clear()

    for line in text.splitlines() + [""]:
        line = line.strip()
        if not line:
            flush()
            current = None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[current] += ast.literal_eval(line)
        else:
            current, _, literal = line.partition(" ")
            if current == "msgid":
                flush()
            fields[current] = ast.literal_eval(literal)
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    """The GNU .mo layout: header, the sorted originals' table, the translations' table, the strings."""
    keys = sorted(entries)
    ids = [k.encode("utf-8") for k in keys]
    strs = [entries[k].encode("utf-8") for k in keys]
    start = 7 * 4 + 16 * len(keys)
    offsets, data = [], b""
    for s in ids + strs:
        offsets.append((len(s), start + len(data)))
        data += s + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    return header + b"".join(struct.pack("<2I", *o) for o in offsets) + data


def compile_all() -> list[Path]:
    written = []
    for po in sorted(HERE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(read_po(po.read_text(encoding="utf-8"))))
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(path)
