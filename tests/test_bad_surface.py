"""The surface a user touches when something is wrong: every refusal is one Vietnamese `Lỗi:` line on
stderr, exit 1 (2 for a malformed command line), no English, the database byte-for-byte unchanged;
outputs never clobber a device, a folder or an existing file without --force; help pages and
prompts in Vietnamese; stored control characters shown, not obeyed, on a terminal."""
import ast
import gettext
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import click
import click.testing
import pytest

from conftest import ON_POSTGRES, digest, run, sql, sqlite_only
from congress.cli import COMMANDS, main

ENGLISH = ("Error", "Usage", "Invalid", "No such", "Missing", "Got unexpected", "Traceback", "is not a valid",
           "Show this message", "Try '", "Aborted", "does not exist", "is a directory", "Permission denied",
           "No space", "[y/N]", "[OPTIONS]", "not one of", "Options:", "Commands:")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def leaves():
    """Every command a user can run, as its words: `status`, `org add`, …"""
    for name in sorted(COMMANDS):
        command = main.get_command(None, name)
        if isinstance(command, click.Group):
            yield from ([name, sub] for sub in sorted(command.commands))
        else:
            yield [name]


def case(args, code, *, before=(), input=None, marks=(), label=None):
    """args as typed; files or folders to create first: "file:NAME" (holding b"old"), "dir:NAME", "link:NAME"
    (to /dev/null)."""
    return pytest.param(args, code, before, input, marks=marks, id=label or " ".join(args) or "(nothing)")


MALFORMED = [  # exit 2: the command line itself is wrong
    *(case([*words, "--bogus"], 2) for words in leaves()),
    case(["nosuch"], 2), case(["--bogus"], 2), case(["Status"], 2),
    *(case([group, "nosuch"], 2) for group in ("org", "group", "round", "db", "settings", "import")),
    # missing arguments and required options
    case(["org", "show"], 2), case(["org", "add"], 2), case(["org", "add", "X.NEW"], 2),
    case(["org", "add", "X.NEW", "Chi bộ mới"], 2), case(["org", "add", "X.NEW", "Chi bộ", "--level", "grassroots"], 2),
    case(["org", "edit"], 2), case(["group", "show"], 2), case(["group", "add"], 2), case(["group", "add", "30"], 2),
    case(["group", "assign"], 2), case(["group", "assign", "3"], 2), case(["schedule"], 2),
    case(["schedule", "P.HAIAN"], 2), case(["log"], 2), case(["log", "--held", "1/8/2025"], 2), case(["unlog"], 2),
    case(["unlog", "X.VINHBAO"], 2), case(["db", "grant-group"], 2), case(["db", "grant-group", "3"], 2),
    case(["settings", "set"], 2), case(["settings", "set", "place"], 2), case(["import", "held"], 2),
    case(["import", "orgs"], 2), case(["import", "schedule"], 2), case(["template"], 2), case(["template", "held"], 2),
    case(["export"], 2), case(["export", "orgs"], 2), case(["backup"], 2),
    # an option without its value
    case(["status", "--group"], 2), case(["status", "--as-of"], 2), case(["log", "P.HAIAN", "--held"], 2),
    case(["brief", "-o"], 2), case(["history", "--limit"], 2), case(["--db"], 2),
    # extra arguments
    case(["status", "x"], 2), case(["status", "--overdue", "qua", "han"], 2), case(["pilots", "x"], 2),
    case(["round", "show", "x"], 2), case(["round", "set", "x", "--target", "1/8"], 2), case(["check", "x"], 2),
    case(["undo", "x"], 2), case(["init", "x"], 2), case(["group", "list", "x"], 2), case(["group", "show", "3", "x"], 2),
    case(["group", "add", "30", "Tổ", "thừa"], 2), case(["settings", "list", "x"], 2),
    case(["settings", "set", "place", "Hải Phòng", "x"], 2), case(["db", "upgrade", "x"], 2),
    case(["template", "held", "t.xlsx", "x"], 2), case(["export", "orgs", "a.csv", "b.csv"], 2),
    case(["backup", "a.db", "b.db"], 2), case(["brief", "x"], 2), case(["schedule", "P.HAIAN", "1/8/2025", "x"], 2),
    case(["org", "list", "x"], 2), case(["import", "held", "a.csv", "b.csv"], 2),
    # wrong types and ranges
    *(case([*words, "--group", "abc"], 2) for words in (
        ["status"], ["status", "--overdue"], ["org", "list"], ["history"], ["log", "X.VINHBAO"],
        ["schedule", "X.VINHBAO", "1/8/2025"], ["unlog", "P.HAIAN", "--reason", "nhầm"], ["template", "held", "t.xlsx"],
        ["import", "held", "a.csv"], ["undo"])),
    case(["group", "show", "abc"], 2), case(["group", "add", "abc", "Tổ"], 2), case(["group", "assign", "abc", "P.HAIAN"], 2),
    case(["db", "grant-group", "abc", "to3"], 2), case(["status", "--upcoming", "x"], 2),
    case(["status", "--upcoming", "0"], 2), case(["status", "--upcoming", "-1"], 2), case(["history", "--limit", "-1"], 2),
    case(["history", "--limit", "0"], 2), case(["history", "--limit", "x"], 2), case(["brief", "--number", "0"], 2),
    case(["brief", "--number", "x"], 2),
    case(["org", "add", "X.NEW", "Chi bộ", "--level", "grassroots", "--kind", "chi bộ", "--members", "-1"], 2),
    case(["org", "edit", "P.HAIAN", "--members", "x"], 2),
    # bad choices
    case(["status", "--level", "tinh"], 2), case(["org", "list", "--level", "tinh"], 2),
    case(["round", "set", "--level", "tinh", "--target", "1/8"], 2),
    case(["org", "add", "X.NEW", "Chi bộ", "--level", "tinh", "--kind", "x"], 2),
    case(["status", "--format", "pdf"], 2), case(["org", "list", "--format", "xlsx"], 2), case(["pilots", "--format", "pdf"], 2),
    case(["history", "--format", "pdf"], 2), case(["group", "list", "--format", "pdf"], 2),
    case(["group", "show", "3", "--format", "pdf"], 2), case(["org", "show", "P.HAIAN", "--format", "csv"], 2),
    case(["round", "show", "--format", "csv"], 2), case(["check", "--format", "csv"], 2),
    case(["settings", "list", "--format", "csv"], 2), case(["brief", "--format", "doc"], 2),
    case(["export", "orgs", "x.csv", "--format", "pdf"], 2), case(["template", "tinh", "t.xlsx"], 2),
    case(["export", "tinh", "x.csv"], 2), case(["import", "tinh", "x.csv"], 2),
]

READ_ONLY = "/sys" if IS_ROOT else "chi-doc"  # chmod does not stop root; /sys refuses even root

REFUSED = [  # exit 1: well formed, but refused
    # an existing file needs --force (and is left as it was)
    *(case(args, 1, before=[f"file:{args[2] if args[0] != 'brief' else args[-1]}"]) for args in (
        ["export", "orgs", "co-roi.csv"], ["export", "status", "co-roi.json"], ["export", "overdue", "co-roi.xlsx"],
        ["export", "history", "co-roi.csv"], ["template", "held", "co-roi.xlsx"], ["template", "orgs", "co-roi.xlsx"],
        ["template", "schedule", "co-roi.xlsx"], ["brief", "-o", "co-roi.html"], ["brief", "--format", "md", "-o", "co-roi.md"],
        ["brief", "--format", "txt", "-o", "co-roi.txt"])),
    case(["backup", "co-roi.db"], 1, before=["file:co-roi.db"], marks=sqlite_only),
    # a device node is never written as a file, --force or not (nodes made in the test's folder: a
    # regression must not replace the machine's own /dev/null)
    *(case([*args, *force], 1, before=["dev:null", "dev:full"]) for args in (
        ["export", "orgs", "null", "--format", "csv"], ["export", "history", "full", "--format", "json"],
        ["brief", "-o", "null"], ["brief", "--format", "txt", "-o", "full"], ["template", "held", "null"])
      for force in ([], ["--force"])),
    *(case(["backup", target, *force], 1, before=["dev:null", "dev:full"], marks=sqlite_only)
      for target in ("null", "full") for force in ([], ["--force"])),
    case(["template", "held", "rong.xlsx", "--force"], 1, before=["link:rong.xlsx"]),
    case(["export", "orgs", "rong.csv", "--force"], 1, before=["link:rong.csv"]),
    case(["brief", "-o", "rong.html", "--force"], 1, before=["link:rong.html"]),
    # a folder as the target
    *(case([*args, *force], 1, before=["dir:thu-muc.x"]) for args in (
        ["export", "orgs", "thu-muc.x", "--format", "csv"], ["brief", "-o", "thu-muc.x"]) for force in ([], ["--force"])),
    case(["template", "held", "thu-muc.xlsx", "--force"], 1, before=["dir:thu-muc.xlsx"]),
    case(["backup", "thu-muc.x", "--force"], 1, before=["dir:thu-muc.x"], marks=sqlite_only),
    # a missing folder, a folder that cannot be written
    *(case(args, 1) for args in (
        ["export", "orgs", "khong-co/x.csv"], ["template", "held", "khong-co/x.xlsx"], ["brief", "-o", "khong-co/b.html"],
        ["export", "orgs", f"{READ_ONLY}/x.csv"], ["template", "held", f"{READ_ONLY}/x.xlsx"],
        ["brief", "-o", f"{READ_ONLY}/b.html"])),
    case(["backup", "khong-co/b.db"], 1, marks=sqlite_only),
    case(["backup", f"{READ_ONLY}/b.db"], 1, marks=sqlite_only),
    # a file to read that is not one
    case(["import", "held", "thu-muc.csv"], 1, before=["dir:thu-muc.csv"]),
    case(["import", "held", "khong-co.csv"], 1), case(["import", "orgs", "khong-co.xlsx"], 1),
    # prompts answered no, or not at all
    *(case(["undo"], 1, input=answer, label=f"undo answered {answer!r}")
      for answer in ("k\n", "không\n", "Không\n", "n\n", "N\n", "\n", "", "có lẽ\nk\n", "khong\n")),
    *(case(["init", "--force"], 1, input=answer, label=f"init --force answered {answer!r}")
      for answer in ("k\n", "không\n", "n\n", "")),
    case(["init"], 1),
    case(["brief", "--format", "docx"], 1), case(["brief", "--format", "pdf"], 1),
]


def make_device(path: Path) -> None:
    """A character device like /dev/null where the tests run as root (CI does), else a named pipe:
    either is a path that is not a regular file."""
    import os
    import stat

    if os.geteuid() == 0:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        os.mkfifo(path)


@pytest.fixture
def before_made(tmp_path, request):
    made = {}
    for item in request.node.callspec.params["before"]:
        kind, name = item.split(":", 1)
        path = tmp_path / name
        if kind == "file":
            path.write_bytes(b"old")
        elif kind == "dir":
            path.mkdir()
        elif kind == "dev":
            make_device(path)
        else:
            path.symlink_to("/dev/null")
        made[path] = kind
    if READ_ONLY == "chi-doc":
        (tmp_path / READ_ONLY).mkdir(mode=0o555)
    return made


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


@pytest.mark.parametrize("args, code, before, input", MALFORMED + REFUSED)
def test_refused_in_one_vietnamese_line(sample_db, tmp_path, before_made, args, code, before, input):
    if args == ["undo"]:  # something of the current user's to undo
        from conftest import hold_grassroots

        hold_grassroots("X.VINHBAO", "19/11/2026")
        run("log", "X.VINHBAO", "--held", "20/11/2026")
    state = digest(sample_db)
    result = run(*args, input=input)
    assert result.exit_code == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Lỗi:")]
    assert len(errors) == 1, result.stderr
    assert english_in(result.stderr) == [], result.stderr
    assert digest(sample_db) == state
    for path, kind in before_made.items():  # nothing clobbered
        if kind == "dev":
            assert not path.is_file() and not path.is_symlink() and path.exists()
        else:
            assert path.is_symlink() if kind == "link" else (path.is_dir() if kind == "dir" else path.read_bytes() == b"old")
    for device in ("/dev/null", "/dev/full"):
        assert Path(device).is_char_device()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp") or p.name.endswith(".partial")] == []
    assert [p.name for p in tmp_path.iterdir() if ".truoc-init-" in p.name] == []


FULL = [["status", "--overdue"], ["status"], ["status", "--format", "csv"], ["org", "list"], ["org", "show", "P.HAIAN"],
        ["history"], ["round", "show"], ["pilots"], ["group", "list"], ["settings", "list"], ["check"],
        ["export", "orgs", "-"], ["brief", "--format", "txt"]]


@pytest.mark.parametrize("args", FULL, ids=" ".join)
def test_stdout_on_a_full_device_is_one_line(sample_db, args):
    state = digest(sample_db)
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "congress", *args], stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == ["Lỗi: Không ghi được kết quả ra đầu ra chuẩn: ổ đĩa đã đầy."]
    assert digest(sample_db) == state


def test_the_table_holds_at_least_150_cases():
    assert len(MALFORMED) + len(REFUSED) + len(FULL) >= 150


# --- --force writes, whole -------------------------------------------------------------------------


def test_force_replaces_a_regular_file_whole(sample_db, tmp_path):
    target = tmp_path / "co-roi.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    result = run("export", "orgs", str(target), "--force")
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8-sig").startswith("Mã,")
    assert target.stat().st_mode & 0o777 == 0o640  # the file's own mode, not mkstemp's 0600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "sample.db") == ["co-roi.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_partial(sample_db, tmp_path, monkeypatch):
    from congress.presentation import brief

    target = tmp_path / "bao-cao.html"
    target.write_bytes(b"old")

    def half_written(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(brief, "render", lambda *a, **k: "<html>nửa báo cáo")
    monkeypatch.setattr(os, "replace", half_written)
    result = run("brief", "-o", str(target), "--force")
    assert result.exit_code == 1
    assert result.stderr == f"Lỗi: Không ghi được tệp {target}: ổ đĩa đã đầy.\n"
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "sample.db") == ["bao-cao.html"]


# --- help pages, messages and prompts in Vietnamese ----------------------------------------------


@pytest.mark.parametrize("words", [[], ["status"], *leaves()], ids=lambda w: " ".join(w) or "congress")
def test_help_pages_are_vietnamese(words):
    result = run(*words, "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Cách dùng: congress")
    assert "Tùy chọn:" in result.output and "Hiện trợ giúp này rồi thoát." in result.output
    assert english_in(result.output) == []
    for metavar in ("TEXT", "INTEGER", "RANGE", "PATH", "COMMAND", "ARGS"):
        assert metavar not in result.output


def test_the_main_help_page(sample_db):
    output = run("--help").output
    assert output.startswith("Cách dùng: congress [TÙY_CHỌN] LỆNH [ĐỐI_SỐ]...\n")
    assert "\nLệnh:\n" in output and "\nTùy chọn:\n" in output
    assert "\nLệnh:\n" in run("org", "--help").output  # a plain Click group's section too


def test_whatever_the_language_of_the_shell(sample_db):
    for lang in ("en_US.UTF-8", "C", "fr_FR.UTF-8"):
        result = subprocess.run([sys.executable, "-m", "congress", "status", "--level", "tinh"], capture_output=True,
                                text=True, env={**os.environ, "LANG": lang, "LANGUAGE": lang, "LC_ALL": lang})
        assert result.returncode == 2
        assert result.stderr.startswith("Lỗi: Giá trị không hợp lệ cho '--level': 'tinh' không phải một trong ")


def _compile_step():
    import congress

    spec = importlib.util.spec_from_file_location("msgfmt", Path(congress.__file__).parent / "locale" / "msgfmt.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_catalogue_is_its_source_compiled():
    msgfmt = _compile_step()
    po = next(msgfmt.HERE.glob("vi/LC_MESSAGES/click.po"))
    assert po.with_suffix(".mo").read_bytes() == msgfmt.mo_bytes(msgfmt.read_po(po.read_text(encoding="utf-8")))


# messages only a programmer writing the CLI can cause, and Choice's repr
NOT_FOR_USERS = {
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice", "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Invalid start character for option ({option})", "Unknown color {colour!r}", "Unknown standard stream '{name}'",
    "Choice({choices})",
}


def test_every_message_click_has_is_translated():
    """Scans the installed Click for its gettext calls: a newer Click's new message fails here."""
    catalogue = gettext.GNUTranslations(open(_compile_step().HERE / "vi/LC_MESSAGES/click.mo", "rb"))
    missing = []
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if texts and texts[0] not in NOT_FOR_USERS:
                    translated = (catalogue.gettext(texts[0]) if node.func.id == "_"
                                  else catalogue.ngettext(texts[0], texts[1], 2))
                    if translated in texts:
                        missing.append(texts[0])
    assert missing == []


@pytest.mark.parametrize("answer", ["c\n", "có\n", "Có\n", "co\n", "y\n", "C\n", "x\nc\n"])
def test_undo_takes_a_vietnamese_yes(sample_db, answer):
    from conftest import hold_grassroots

    hold_grassroots("X.VINHBAO", "19/11/2026")
    run("log", "X.VINHBAO", "--held", "20/11/2026")
    result = run("undo", input=answer)
    assert result.exit_code == 0, result.stderr
    assert "Hoàn tác thay đổi này? [c/K]" in result.stderr
    assert "Đã hoàn tác" in result.stdout


def test_undo_answered_no_says_so(sample_db):
    from conftest import hold_grassroots

    hold_grassroots("X.VINHBAO", "19/11/2026")
    run("log", "X.VINHBAO", "--held", "20/11/2026")
    result = run("undo", input="không\n")
    assert result.exit_code == 1
    assert result.stderr.endswith("Lỗi: Đã dừng; không có gì thay đổi.\n")


# --- init --force: asks, and backs up first ----------------------------------------------------------


@sqlite_only
@pytest.mark.parametrize("how", [("--force",), ("--force", "--yes")], ids=["answered có", "--yes"])
def test_init_force_backs_up_the_register_first(sample_db, tmp_path, how):
    before = sample_db.read_bytes()
    result = run("init", *how, input="có\n")
    assert result.exit_code == 0, result.stderr
    (copy,) = [p for p in tmp_path.iterdir() if ".truoc-init-" in p.name]
    assert copy.name.startswith("sample.db.truoc-init-") and copy.suffix == ".db"
    assert f"Đã sao lưu {sample_db} vào {copy} (2.079 tổ chức," in result.stdout
    assert sample_db.read_bytes() != before
    with sqlite3.connect(copy) as saved:
        assert saved.execute("SELECT count(*) FROM organisation").fetchone() == (2079,)  # the Party's 1.964 units, the Front's 115
    assert ("[c/K]" in result.stderr) == ("--yes" not in how)
    assert json.loads(run("org", "list", "--format", "json").stdout) == []


@sqlite_only
def test_init_force_never_deletes_a_device(tmp_path):
    device = tmp_path / "thiet-bi"
    make_device(device)
    result = run("--db", str(device), "init", "--force", "--yes")
    assert result.exit_code == 1 and result.stderr.startswith(f"Lỗi: {device} không phải tệp thường")
    assert device.exists() and not device.is_file()


@pytest.mark.skipif(not ON_POSTGRES, reason="a server database is backed up with pg_dump")
def test_init_force_on_postgresql_says_to_pg_dump_and_needs_yes(sample_db):
    state = digest(sample_db)
    result = run("init", "--force", input="có\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: --force xóa mọi dữ liệu") and "pg_dump --format=custom" in result.stderr
    assert "--force --yes" in result.stderr
    assert digest(sample_db) == state


# --- control characters in names -----------------------------------------------------------------

HIDDEN = "Đảng bộ \x1b[8mẩn\x1b[0m \x1b[31mđỏ"


@pytest.fixture
def escaped_name(sample_db):
    """Stored by whatever means (an older version, another tool): shown safely all the same."""
    sql(sample_db, "UPDATE organisation SET name = :name WHERE code = 'P.HAIAN'", name=HIDDEN)


def test_a_table_shows_control_characters(escaped_name):
    output = run("org", "list", "--search", "hai an").stdout
    assert "\x1b" not in output
    assert "Đảng bộ \\x1b[8mẩn\\x1b[0m \\x1b[31mđỏ" in output


def test_a_terminal_shows_control_characters(escaped_name, monkeypatch):
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True, raising=False)
    output = run("org", "show", "P.HAIAN").stdout
    assert "\x1b" not in output and "Đảng bộ \\x1b[8mẩn" in output


def test_piped_text_and_files_keep_the_stored_name(escaped_name):
    assert HIDDEN in run("org", "show", "P.HAIAN").stdout  # piped: the stored text, for other programs
    assert json.loads(run("org", "show", "P.HAIAN", "--format", "json").stdout)["name"] == HIDDEN
    assert HIDDEN in run("org", "list", "--search", "hai an", "--format", "csv").stdout
    assert HIDDEN in [row["name"] for row in json.loads(run("org", "list", "--format", "json").stdout)]
    assert run("export", "orgs", "to-chuc.csv").exit_code == 0
    assert HIDDEN in Path("to-chuc.csv").read_text(encoding="utf-8-sig")


# --- reads do not wait for a writer -------------------------------------------------------------


@sqlite_only
def test_status_overdue_answers_while_another_process_holds_the_write_lock(sample_db):
    writer = sqlite3.connect(sample_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE setting SET value = value WHERE key = 'app'")
    try:
        started = time.monotonic()
        result = run("status", "--overdue")
        elapsed = time.monotonic() - started
        assert writer.in_transaction  # the lock was held throughout
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.stderr
    assert "X.VINHBAO" in result.stdout
    assert elapsed < 2  # a sanity bound: waiting for the lock took 3 s
