"""The brief in every format on the sample, in the cases that take its paths (days of the round, one
working group, the office's settings and notes, annexes and lists left out): what
tests/test_brief_outputs.py holds equal to tests/expected/brief/ (the txt, md and html, readable, one
file per case and format, every blank line included) and tests/golden/brief-outputs.json (the sha256 of
the Word document's parts; the PDF is WeasyPrint's drawing of the html, so the html's bytes hold it).

A change meant to alter the brief records again, and its commit says why:

    python tests/brief_outputs.py tests/expected/brief > tests/golden/brief-outputs.json
"""
import hashlib
import io
import json
import sys
import tempfile
import zipfile
from pathlib import Path

NOTES = """# 1. Đánh giá chung

Các đảng bộ trực thuộc cơ bản bám sát kế hoạch;
còn 7 đảng bộ chậm so với mốc mục tiêu.

## Nhiệm vụ trọng tâm tuần tới
- Hoàn thành đại hội các đảng bộ xã <Vĩnh Bảo> & *Tiên Lãng*.

III. DE XUAT, KIEN NGHI:
Đề nghị các tổ công tác báo cáo trước thứ Sáu.
"""
# settings the office may set, each taking a path of the letterhead and of the lists
OFFICE = {"issuer.parent": "THÀNH ỦY HẢI PHÒNG", "signer.authority": "T/M BAN THƯỜNG VỤ",
          "brief.annex_rows": "4", "recipients": "Ban Thường vụ (để báo cáo); Lưu Văn phòng"}

# what an empty register needs to print a brief at all
LETTERHEAD = {"issuer.name": "THÀNH ỦY", "place": "Hải Phòng", "signer.name": "Nguyễn Văn A"}

# name → (CONGRESS_TODAY, brief arguments, settings, with the notes); "empty": a register with no organisation
CASES = {
    "2025-08-03": ("2025-08-03", [], {}, False),
    "2025-08-19": ("2025-08-19", [], {}, False),
    "2025-08-25": ("2025-08-25", [], {}, False),
    "2025-09-30": ("2025-09-30", [], {}, False),
    "2025-08-19-group-3": ("2025-08-19", ["--group", "3"], {}, False),
    "2025-08-25-office": ("2025-08-25", ["--number", "12", "--date", "26/8/2025"], OFFICE, True),
    "2025-08-25-no-annex": ("2025-08-25", ["--no-annex"], {"brief.annex_rows": "2"}, False),
    "2025-09-30-week": ("2025-09-30", ["--week", "2025-W34", "--as-recorded"], {}, True),
    "empty": ("2025-08-19", [], LETTERHEAD, False),
}
TEXT_FORMATS = ("txt", "md", "html")


def docx_parts(data: bytes) -> dict[str, str]:
    """The Word document's parts (text, structure, pictures), without docProps/core.xml's timestamps."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: hashlib.sha256(z.read(name)).hexdigest() for name in sorted(z.namelist())
                if name != "docProps/core.xml"}


def outputs(folder: Path) -> dict[str, dict]:
    """Each case → {format: its output}; the sample is built once and each case's settings set on a copy."""
    import shutil

    from click.testing import CliRunner

    from congress.cli import main
    from congress.writes.new_database import initialise

    sample, empty = folder / "sample.db", folder / "no-organisation.db"
    initialise(str(sample), sample=True, force=False)
    initialise(str(empty), sample=False, force=False)
    notes = folder / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    found = {}
    for name, (today, args, settings, with_notes) in CASES.items():
        db = folder / f"{name}.db"
        shutil.copyfile(empty if name == "empty" else sample, db)
        env = {"CONGRESS_TODAY": today, "CONGRESS_DB": str(db), "COLUMNS": "100"}

        def run(*argv):
            result = CliRunner().invoke(main, list(argv), env=env, catch_exceptions=False)
            assert result.exit_code == 0, (name, argv, result.stderr)
            return result

        for key, value in settings.items():
            run("settings", "set", key, value)
        args = args + (["--notes", str(notes)] if with_notes else [])
        found[name] = {fmt: run("brief", "--format", fmt, *args).stdout for fmt in TEXT_FORMATS}
        out = folder / f"{name}.docx"
        run("brief", "--format", "docx", "-o", str(out), *args)
        found[name]["docx"] = docx_parts(out.read_bytes())
    return found


def digests(found: dict[str, dict]) -> dict[str, dict]:
    return {name: {"docx": formats["docx"]} for name, formats in found.items()}


if __name__ == "__main__":
    expected = Path(sys.argv[1])
    expected.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        found = outputs(Path(tmp))
    for name, formats in found.items():
        for fmt in TEXT_FORMATS:
            (expected / f"{name}.{fmt}").write_text(formats[fmt], encoding="utf-8")
    print(json.dumps(digests(found), indent=1, ensure_ascii=False, sort_keys=True))
