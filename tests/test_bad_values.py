"""Values the register must never hold, and input that once ended in a traceback (issue #9 §1, §2).

Every case is refused the way the README promises: exit 1 (2 for a malformed command line), exactly
one Vietnamese `Lỗi:` line on stderr with none of Click's or Python's English, and the database
unchanged. FILE in the arguments is the case's file, written first.
"""
import codecs
import io
import zipfile

import pytest

from conftest import digest, run, sql, sqlite_only

ENGLISH = ("Error", "Traceback", "Invalid", "Usage", "Exception")
HUGE = "9" * 25  # beyond SQLite's 64 bits


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_ORGS = [["Mã", "Tên", "Cấp", "Loại", "Cấp trên"], ["X.MOI", "Chi bộ mới", "grassroots", "chi bộ cơ sở", "P.HAIAN"]]
GOOD_HELD = [["Mã", "Ngày tổ chức"], ["X.VINHBAO", "1/11/2026"]]


def xlsx_with(part: str, content: bytes | None, rows=GOOD_HELD) -> bytes:
    """A valid workbook with one part replaced (None: removed)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == part:
                if content is not None:
                    target.writestr(item.filename, content)
            else:
                target.writestr(item, source.read(item.filename))
        if part not in source.namelist() and content is not None:
            target.writestr(part, content)
    return buffer.getvalue()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>M\xc3\xa3</t></is></c><c r="B1" t="inlineStr"><is><t>&lol3;</t></is></c></row>
</sheetData></worksheet>"""


def huge_shared_string() -> bytes:
    """A few hundred KB of zip that unpacks to 60 MB: the 200 MB string of the issue, smaller."""
    text = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>' + b"a" * 60_000_000
    return xlsx_with("xl/sharedStrings.xml", text + b"</t></si></sst>")


CASES = []


def case(args, fragment, file=None, code=1, env=None, name=None):
    CASES.append(pytest.param(args, file, fragment, code, env, id=name or " ".join(a.replace("\n", "\\n") for a in args)[:80]))


# --- §1 dates outside any sense -----------------------------------------------------------------

HELD_WINDOW = "từ khi nhiệm kỳ bắt đầu đến hôm nay"
for text in ("13/6/2024", "1/1/2024", "29/2/2024", "2024-06-13", "31/12/1899", "1/1/1899", "9/7/0025", "0001-01-01",
             "1/1/1900", "31/12/1999", "0025-07-09", "1/1/2000"):
    case(["log", "X.VINHBAO", "--held", text], HELD_WINDOW)
    case(["import", "held", "FILE"], HELD_WINDOW, ("held.csv", utf8(f"Mã,Ngày tổ chức\nX.VINHBAO,{text}\n")),
         name=f"import held {text}")
for text in ("1/1/2027", "31/12/2099"):
    case(["log", "X.VINHBAO", "--held", text], "chưa đến")
case(["log", "X.VINHBAO", "--held", "1/1/2024", "--force"], HELD_WINDOW)
case(["log", "P.HAIAN", "--held", "1/1/1899", "--force"], HELD_WINDOW)
# date cells and Excel serials
import datetime as _dt  # noqa: E402  (only for the cells below)

for cell in (_dt.date(1900, 1, 1), _dt.date(1999, 12, 31), _dt.date(2024, 6, 13), _dt.datetime(1900, 3, 1, 0, 0)):
    case(["import", "held", "FILE"], HELD_WINDOW, ("held.xlsx", xlsx([["Mã", "Ngày tổ chức"], ["X.VINHBAO", cell]])),
         name=f"import held xlsx date cell {cell}")
for serial in (1, 2000, 60, 36525):
    case(["import", "held", "FILE"], "không phải một ngày",
         ("held.xlsx", xlsx([["Mã", "Ngày tổ chức"], ["X.VINHBAO", serial]])), name=f"import held xlsx serial {serial}")
    case(["import", "held", "FILE"], "không phải một ngày",
         ("held.csv", utf8(f"Mã,Ngày tổ chức\nX.VINHBAO,{serial}\n")), name=f"import held csv serial {serial}")

PLANNED_WINDOW = "từ khi nhiệm kỳ bắt đầu đến 5 năm sau hạn chót"
for text in ("1/1/9999", "9999-12-31", "1/1/1899", "9/7/0025", "13/6/2024", "1/1/2024", "1/9/2030", "2099-01-01"):
    case(["schedule", "X.VINHBAO", text, "--force"], PLANNED_WINDOW)
    case(["import", "schedule", "FILE", "--force"], PLANNED_WINDOW,
         ("plan.csv", utf8(f"Mã,Ngày dự kiến\nX.VINHBAO,{text}\n")), name=f"import schedule {text}")
case(["schedule", "X.VINHBAO", "1/1/99", "--force"], "viết hai chữ số được hiểu là 2099")
case(["import", "schedule", "FILE", "--force"], "viết hai chữ số được hiểu là 2099",
     ("plan.csv", utf8("Mã,Ngày dự kiến\nX.VINHBAO,1/1/99\n")), name="import schedule two-digit year")
case(["import", "schedule", "FILE", "--force"], PLANNED_WINDOW,
     ("plan.xlsx", xlsx([["Mã", "Ngày dự kiến"], ["X.VINHBAO", _dt.date(1900, 1, 1)]])), name="import schedule xlsx 1900")

for text in ("1/1/2025", "23/7/2025", "1/1/1899", "9999-12-31", "0001-01-01"):
    case(["org", "edit", "P.HAIAN", "--dissolved", text], "Ngày giải thể")
case(["org", "edit", "X.VINHBAO", "--dissolved", "1/1/1899"], "Ngày giải thể")

AS_OF = "trong các năm phần mềm xử lý"
for text in ("9999-12-31", "0001-01-01", "1/1/1899", "31/12/2100", "1/1/1999"):
    case(["status", "--as-of", text], AS_OF)
for args in (["brief", "--as-of", "0001-01-01"], ["brief", "--as-of", "9999-12-31"], ["brief", "--date", "1/1/1899"],
             ["history", "--since", "0001-01-01"], ["org", "show", "P.HAIAN", "--as-of", "9999-12-31"],
             ["group", "list", "--as-of", "1/1/1899"], ["group", "show", "3", "--as-of", "9999-12-31"],
             ["pilots", "--as-of", "0001-01-01"], ["round", "show", "--as-of", "9999-12-31"],
             ["status", "--upcoming", "3660", "--as-of", "9999-12-31"], ["status", "--overdue", "--as-of", "0001-01-01"],
             ["export", "status", "FILE", "--as-of", "9999-12-31"], ["export", "orgs", "-", "--as-of", "0001-01-01"]):
    case(args, AS_OF, ("out.csv", None) if "FILE" in args else None)
for option, text in (("--target", "1/1/1899"), ("--deadline", "9999-12-31"), ("--pilot-deadline", "0001-01-01"),
                     ("--deadline", "1/1/2100")):
    case(["round", "set", option, text], AS_OF)
case(["round", "set", "--level", "city", "--deadline", "9999-12-31"], AS_OF)
for text in ("1/1/225", "1/1/20255", "1/1/5"):
    case(["log", "X.VINHBAO", "--held", text], "năm viết đủ bốn chữ số")
case(["status", "--as-of", "1/1/225"], "năm viết đủ bốn chữ số")

# --- §1 names and codes ---------------------------------------------------------------------------

HIDDEN = "ký tự điều khiển hoặc ký tự ẩn"
BAD_NAMES = {"ESC": "Chi bộ \x1b[31mđỏ", "BEL": "Chi bộ\x07", "VT": "Chi\x0bbộ", "NUL": "Chi\x00bộ",
             "newline": "Chi bộ\nsố 1", "ZWSP": "Chi\u200bbộ", "ZWJ": "Chi\u200dbộ", "RLO": "Chi bộ \u202eabc",
             "LRI": "Chi bộ \u2066x", "BOM": "\ufeffChi bộ", "line separator": "Chi\u2028bộ", "CR": "Chi\rbộ"}
for label, name in BAD_NAMES.items():
    case(["org", "add", "X.MOI", name, "--level", "grassroots", "--kind", "chi bộ cơ sở", "--parent", "P.HAIAN"], HIDDEN,
         name=f"org add name {label}")
    case(["org", "edit", "P.HAIAN", "--name", name], HIDDEN, name=f"org edit name {label}")
    case(["import", "orgs", "FILE"], "byte 0" if label == "NUL" else HIDDEN,
         ("orgs.xlsx", xlsx([GOOD_ORGS[0], ["X.MOI", name, "grassroots", "chi bộ cơ sở", "P.HAIAN"]]))
         if label not in ("NUL", "VT", "ESC", "BEL") else
         ("orgs.csv", utf8(f"Mã,Tên,Cấp,Loại,Cấp trên\nX.MOI,\"{name}\",grassroots,chi bộ cơ sở,P.HAIAN\n")),
         name=f"import orgs name {label}")
for label, name in (("ESC", "Tổ \x1b]0;x\x07"), ("RLO", "Tổ \u202e3"), ("ZWSP", "Tổ\u200b3")):
    case(["group", "add", "30", name], HIDDEN, name=f"group add name {label}")
    case(["group", "add", "30", "Tổ 30", "--leader", name], HIDDEN, name=f"group add leader {label}")
    case(["org", "edit", "P.HAIAN", "--kind", name], HIDDEN, name=f"org edit kind {label}")
for blank in ("", "   ", "\u00a0"):
    case(["group", "add", "30", blank], "Tên tổ công tác không được để trống", name=f"group add blank {blank!r}")
    case(["org", "edit", "P.HAIAN", "--name", blank], "Tên tổ chức không được để trống", name=f"org edit blank {blank!r}")
case(["org", "add", "X.MOI", "x" * 1001, "--level", "grassroots", "--kind", "chi bộ", "--parent", "P.HAIAN"],
     "tối đa 1.000 ký tự", name="org add name 1001 characters")

BAD_CODE = "Mã tổ chức không hợp lệ"
BAD_CODES = {"NBSP": "X.A\u00a0B", "BOM": "\ufeffX.AB", "ZWSP": "X.A\u200bB", "ESC": "X.\x1bAB", "space": "X A",
             "Vietnamese": "X.ĐÔNG", "slash": "X/A", "newline": "X.A\nB", "RLO": "X.\u202eAB", "tab": "X.A\tB",
             "too long": "X." + "A" * 60, "quote": "X.'A", "NUL": "X.\x00A"}
for label, code in BAD_CODES.items():
    case(["org", "add", code, "Chi bộ mới", "--level", "grassroots", "--kind", "chi bộ cơ sở", "--parent", "P.HAIAN"],
         BAD_CODE, name=f"org add code {label}")
    if label not in ("newline", "NUL", "ESC"):
        case(["import", "orgs", "FILE"], BAD_CODE,
             ("orgs.csv", utf8(f"Mã,Tên,Cấp,Loại,Cấp trên\n\"{code}\",Chi bộ mới,grassroots,chi bộ cơ sở,P.HAIAN\n")),
             name=f"import orgs code {label}")
case(["org", "add", "   ", "Chi bộ mới", "--level", "grassroots", "--kind", "x", "--parent", "P.HAIAN"],
     "Mã tổ chức không được để trống")

# --- §1 the tree ----------------------------------------------------------------------------------

case(["org", "edit", "P.HAIAN", "--parent", "P.HAIAN"], "phải thuộc một tổ chức cấp «city»")
case(["org", "edit", "P.HAIAN", "--parent", "P.HAIAN.01"], "phải thuộc một tổ chức cấp «city»")
case(["org", "edit", "P.HAIAN.01", "--parent", "HP"], "phải thuộc một tổ chức cấp «committee»")
case(["org", "edit", "HP", "--parent", "P.HAIAN"], "không có cấp trên")
case(["import", "orgs", "FILE"], "phải thuộc một tổ chức cấp «committee»",
     ("orgs.csv", utf8("Mã,Tên,Cấp,Loại,Cấp trên\nX.MOI,Chi bộ mới,grassroots,chi bộ cơ sở,HP\n")), name="import orgs wrong level")
case(["import", "orgs", "FILE"], "không có cấp trên",
     ("orgs.csv", utf8("Mã,Tên,Cấp,Loại,Cấp trên\nHP2,Tỉnh mới,city,tỉnh,HP\n")), name="import orgs city under city")

# --- §1 sizes and encodings -------------------------------------------------------------------------

case(["import", "orgs", "FILE"], "tối đa 50 MB", ("big.csv", "sparse"), name="import orgs file over 50 MB")
case(["import", "held", "FILE"], "tối đa 50 MB", ("big.xlsx", "sparse"), name="import held xlsx over 50 MB")
case(["import", "orgs", "FILE"], "khi giải nén lớn 60 MB", ("strings.xlsx", huge_shared_string), name="import xlsx 60 MB string")
case(["import", "orgs", "FILE"], "mỗi ô tối đa 1.000 ký tự",
     ("orgs.csv", utf8("Mã,Tên,Cấp,Loại,Cấp trên\nX.MOI," + "a" * 1001 + ",grassroots,x,P.HAIAN\n")), name="csv cell 1001")
case(["import", "orgs", "FILE"], "mỗi ô tối đa 1.000 ký tự",
     ("orgs.xlsx", xlsx([GOOD_ORGS[0], ["X.MOI", "a" * 5000, "grassroots", "x", "P.HAIAN"]])), name="xlsx cell 5000")
case(["import", "held", "FILE"], "mỗi ô tối đa 1.000 ký tự",
     ("held.csv", utf8("Mã,Ngày tổ chức,Ghi chú\nX.VINHBAO,1/11/2026," + "n" * 2000 + "\n")), name="csv note 2000")
case(["import", "orgs", "FILE"], "có ô quá dài",
     ("orgs.csv", utf8('Mã,Tên\nX.MOI,"' + "a" * 200_000 + '"\n')), name="csv field over the csv limit")
case(["import", "orgs", "FILE"], "tối đa 200 cột",
     ("wide.csv", utf8("Mã,Tên," + ",".join(["x"] * 100_000) + "\n")), name="csv 100.000 columns")
case(["import", "orgs", "FILE"], "dòng 3 viết bằng bảng mã",
     ("mixed.csv", b"Ma,Ten,Cap,Loai,Cap tren\nX.A," + "Chi bộ một".encode() + b",grassroots,x,P.HAIAN\nX.B,"
      + "Chi bô Đông".encode("cp1258") + b",grassroots,x,P.HAIAN\n"), name="csv mixed UTF-8 then Windows-1258")
case(["import", "orgs", "FILE"], "dòng 3 viết bằng bảng mã UTF-8",
     ("mixed.csv", b"Ma,Ten\n" + "Chi bô Đông".encode("cp1258") + b",x\n" + "Chi bộ hai".encode() + b",y\n"),
     name="csv mixed Windows-1258 then UTF-8")
case(["import", "orgs", "FILE"], "không phải UTF-8, UTF-16",
     ("odd.csv", codecs.BOM_UTF16_LE + "Mã,Tên\nX,Y\n".encode("utf-16-le") + b"\x00"), name="utf-16 odd bytes")
case(["import", "held", "FILE"], "byte 0", ("zeros.csv", b"\x00" * 1000), name="csv binary zeros")
case(["import", "held", "FILE"], "byte 0", ("nul.csv", b"Ma,Ngay to chuc\nX.VI\x00NHBAO,1/11/2026\n"), name="csv with NUL")
case(["import", "orgs", "FILE"], "quá lớn (tối đa 10.000.000)",
     ("orgs.csv", utf8(f"Mã,Tên,Số đảng viên\nP.HAIAN,Đảng bộ phường Hải An,{HUGE}\n")), name="csv members 64-bit")
case(["import", "orgs", "FILE"], "quá lớn (tối đa 10.000.000)",
     ("orgs.csv", utf8("Mã,Tên,Tổ công tác\nP.HAIAN,Đảng bộ phường Hải An," + "9" * 900 + "\n")), name="csv group 900 digits")
case(["import", "orgs", "FILE"], "quá lớn (tối đa 10.000.000)",
     ("orgs.xlsx", xlsx([["Mã", "Tên", "Số đảng viên"], ["P.HAIAN", "Đảng bộ phường Hải An", 10**19]])),
     name="xlsx members 64-bit")
case(["import", "orgs", "FILE"], "quá lớn (tối đa 10.000.000)",
     ("orgs.xlsx", xlsx([["Mã", "Tên", "Số đảng viên"], ["P.HAIAN", "Đảng bộ phường Hải An", 1e20]])),
     name="xlsx members 1e20")
case(["import", "orgs", "FILE"], "không phải số nguyên",
     ("orgs.xlsx", xlsx([["Mã", "Tên", "Số đảng viên"], ["P.HAIAN", "Đảng bộ phường Hải An", 12.5]])),
     name="xlsx members 12.5")

# --- §2 damaged xlsx ---------------------------------------------------------------------------------

DAMAGED = "tệp hỏng, bị cắt dở hoặc không phải .xlsx"
case(["import", "held", "FILE"], DAMAGED, ("junk.xlsx", b"PK\x03\x04 not really a zip"), name="xlsx junk")
case(["import", "held", "FILE"], DAMAGED, ("empty.xlsx", b""), name="xlsx empty file")
case(["import", "held", "FILE"], DAMAGED, ("cut.xlsx", lambda: xlsx(GOOD_HELD)[:1500]), name="xlsx truncated")
for part in ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml",
             "xl/_rels/workbook.xml.rels"):
    case(["import", "held", "FILE"], DAMAGED, ("broken.xlsx", lambda part=part: xlsx_with(part, b"<broken><xml")),
         name=f"xlsx broken XML in {part}")
for part in ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"):
    case(["import", "held", "FILE"], DAMAGED, ("missing.xlsx", lambda part=part: xlsx_with(part, None)),
         name=f"xlsx missing {part}")
case(["import", "held", "FILE"], DAMAGED, ("bomb.xlsx", lambda: xlsx_with("xl/worksheets/sheet1.xml", BOMB)),
     name="xlsx entity expansion")

# --- §2 command-line integers (malformed: exit 2) ---------------------------------------------------

RANGE = "phải là số nguyên từ"
for args in (["log", "X.VINHBAO", "--group", HUGE], ["schedule", "X.VINHBAO", "1/11/2026", "--group", HUGE],
             ["unlog", "P.HAIAN", "--reason", "nhầm", "--group", HUGE], ["status", "--group", HUGE],
             ["status", "--group", "0"], ["status", "--group", "-1"], ["history", "--group", HUGE],
             ["org", "list", "--group", HUGE], ["history", "--limit", HUGE], ["history", "--limit", "0"],
             ["status", "--upcoming", HUGE], ["status", "--upcoming", "0"], ["status", "--upcoming", "3661"],
             ["org", "edit", "P.HAIAN", "--members", HUGE], ["org", "edit", "P.HAIAN", "--members", "-1"],
             ["org", "add", "X.MOI", "Chi bộ", "--level", "grassroots", "--kind", "x", "--parent", "P.HAIAN",
              "--members", HUGE],
             ["group", "add", HUGE, "Tổ mới"], ["group", "add", "0", "Tổ mới"], ["group", "assign", HUGE, "P.HAIAN"],
             ["group", "show", HUGE], ["brief", "--number", HUGE], ["template", "held", "FILE", "--group", HUGE]):
    case(args, RANGE, ("mau.xlsx", None) if "FILE" in args else None, code=2)
case(["log", "X.VINHBAO"], RANGE, code=2, env={"CONGRESS_GROUP": HUGE}, name="CONGRESS_GROUP 64-bit")

# --- §2 CONGRESS_TODAY ------------------------------------------------------------------------------

for text, fragment in (("garbage", "Ngày không hợp lệ"), ("30/02", "Ngày không có thật"), ("2026-13-01", "không có thật"),
                       ("9999-12-31", AS_OF), ("0001-01-01", AS_OF), ("21/11/26266", "năm viết đủ bốn chữ số")):
    case(["status", "--overdue"], "CONGRESS_TODAY", env={"CONGRESS_TODAY": text}, name=f"CONGRESS_TODAY {text} status")
    case(["log", "X.VINHBAO"], fragment, env={"CONGRESS_TODAY": text}, name=f"CONGRESS_TODAY {text} log")

# --- §2 database addresses --------------------------------------------------------------------------

for address, fragment in (("mysql://u:p@localhost/congress", "Không hỗ trợ"), ("http://example.org/db", "Không hỗ trợ"),
                          ("ftp://x/y", "Không hỗ trợ"), ("mssql+pyodbc://x", "Không hỗ trợ"),
                          ("sqlite://relative.db", "Không hỗ trợ"), ("postgresql://u@localhost:abc/db", "cổng"),
                          ("postgresql://u@localhost:99999/db", "cổng"), ("postgres://u@h:-1/db", "cổng")):
    case(["--db", address, "status"], fragment, name=f"--db {address} status")
    case(["--db", address, "log", "X.VINHBAO"], fragment, name=f"--db {address} log")


@pytest.mark.parametrize("args, file, fragment, code, env", CASES)
def test_refused_cleanly(sample_db, tmp_path, args, file, fragment, code, env):
    if file is not None:
        name, content = file
        path = tmp_path / name
        if content == "sparse":
            with open(path, "wb") as stream:
                stream.truncate(50_000_001)
        elif content is not None:
            path.write_bytes(content() if callable(content) else content)
        args = [str(path) if a == "FILE" else a for a in args]
    before = digest(sample_db)
    result = run(*args, env=env)
    refusals = [line for line in result.stderr.splitlines() if line.startswith("Lỗi:")]
    assert result.exit_code == code, result.stderr
    assert len(refusals) == 1, result.stderr
    assert fragment in result.stderr
    assert not [word for word in ENGLISH if word in result.stderr], result.stderr
    assert digest(sample_db) == before
    if file is not None and file[1] is None:
        assert not (tmp_path / file[0]).exists()


def test_the_table_covers_every_kind():
    assert len(CASES) >= 150


# --- values already stored before these checks existed -------------------------------------------


def test_export_and_template_write_names_xml_cannot_hold(sample_db, tmp_path):
    """A name with an escape, stored by an older version, no longer breaks every export and template."""
    from openpyxl import load_workbook

    sql(sample_db, "UPDATE organisation SET name = :name WHERE code = 'P.HAIAN'", name="Hải\x1b[31m An\x07")
    assert run("export", "orgs", str(tmp_path / "orgs.xlsx")).exit_code == 0
    assert run("template", "held", str(tmp_path / "mau.xlsx")).exit_code == 0
    names = [row[1] for row in load_workbook(tmp_path / "orgs.xlsx").active.iter_rows(values_only=True)]
    assert "Hải[31m An" in names


@sqlite_only
def test_check_on_a_file_damaged_inside_its_pages(sample_db):
    import sqlite3

    connection = sqlite3.connect(sample_db)
    page = connection.execute("PRAGMA page_size").fetchone()[0]
    roots = [r for (r,) in connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name IN ('organisation', 'congress', 'change')")]
    connection.close()
    data = bytearray(sample_db.read_bytes())
    for root in roots:  # the tables' own pages; what opening the file reads stays whole
        start = (root - 1) * page
        data[start + 8:start + 200] = b"\xff" * 192
    sample_db.write_bytes(bytes(data))
    result = run("check")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("Lỗi: Tệp cơ sở dữ liệu hỏng") and "sao lưu" in result.stderr


def test_anything_unexpected_is_one_line_and_debug_shows_it(sample_db, monkeypatch):
    import congress.read.progress

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("x")

    monkeypatch.setattr(congress.read.progress.Progress, "__init__", broken)
    result = run("status", "--overdue")
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: lệnh «status» gặp sự cố ngoài dự kiến")
    assert len(result.stderr.splitlines()) == 1 and "--debug" in result.stderr
    with pytest.raises(ZeroDivisionError):
        run("--debug", "status", "--overdue")
    with pytest.raises(ZeroDivisionError):
        run("status", "--overdue", env={"CONGRESS_DEBUG": "1"})


def test_a_day_first_congress_today_is_read(sample_db):
    result = run("round", "show", "--format", "json", env={"CONGRESS_TODAY": "21/11/2026"})
    assert result.exit_code == 0, result.stderr


def test_edge_of_time_is_no_traceback(sample_db):
    result = run("status", "--upcoming", "3660", "--as-of", "31/12/2099")
    assert result.exit_code == 0, result.stderr


def test_a_valid_import_still_passes(sample_db, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(utf8("Mã,Tên,Cấp,Loại,Cấp trên\nX.MOI,\u00a0Chi bộ\u00a0mới ,grassroots,chi bộ cơ sở,P.HAIAN\n"))
    result = run("import", "orgs", str(path))
    assert result.exit_code == 0, result.stderr
    assert sql(sample_db, "SELECT name FROM organisation WHERE code = 'X.MOI'") == [("Chi bộ mới",)]


NOTES = [  # a note or reason with a hidden or control character is refused; lines and tabs are kept
    (("log", "X.VINHBAO.08", "--held", "1/11/2026", "--note", "ok\x1b[8mẩn"), "Ghi chú chứa ký tự điều khiển"),
    (("schedule", "X.VINHBAO.08", "25/8/2025", "--note", "a\u202eb"), "Ghi chú chứa ký tự điều khiển hoặc ký tự ẩn U+202E"),
    (("unlog", "P.HAIAN", "--reason", "\x07"), "Lý do rút lại chứa ký tự điều khiển"),
    (("unlog", "P.HAIAN", "--reason", "x" * 1001), "Lý do rút lại dài 1.001 ký tự"),
]


@pytest.mark.parametrize("args, message", NOTES, ids=[" ".join(a[:2]) + f" #{i}" for i, (a, _) in enumerate(NOTES)])
def test_notes_and_reasons_hold_no_hidden_characters(sample_db, args, message):
    state = digest(sample_db)
    result = run(*args)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert digest(sample_db) == state


def test_a_note_of_several_lines_is_kept(sample_db):
    assert run("schedule", "X.VINHBAO.08", "25/8/2025", "--note", "dòng 1\n\tdòng 2").exit_code == 0
    assert "dòng 1\n\tdòng 2" in run("org", "show", "X.VINHBAO.08").stdout


def test_a_stored_escape_in_a_refusal_is_shown_not_obeyed(sample_db):
    sql(sample_db, "UPDATE organisation SET name = :name WHERE code = 'X.VINHBAO'", name="Vĩnh\x1b[8mBảo")
    result = run("schedule", "X.VINHBAO", "1/9/2026")
    assert result.exit_code == 1 and "\x1b" not in result.stderr and "\\x1b" in result.stderr
