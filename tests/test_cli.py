"""The command line itself: lazy commands, --version, organisations typed without quotes, the pager."""
import importlib.metadata
import io
import json
import os
import shutil
import subprocess
import sys

import click
import pytest

from congress.cli import COMMANDS, main
from congress.cli.common import echo
from conftest import run

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "openpyxl", "weasyprint", "jinja2")
COMMAND_MODULES = sorted({target.split(":")[0] for target, _ in COMMANDS.values()})


def imported_after(*args: str) -> set[str]:
    """The modules a fresh interpreter holds after running `congress ARGS` (without a database)."""
    script = (
        "import json, sys\n"
        "from congress.cli import main\n"
        "try:\n"
        f"    main({list(args)!r}, prog_name='congress')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(done.stderr.splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_help_lists_every_command_and_imports_none():
    modules = imported_after("--help")
    assert "congress.cli.common" in modules
    assert [m for m in COMMAND_MODULES if m in modules] == []
    assert heavy(modules) == []


@pytest.mark.parametrize("args, module", [(("log", "--help"), "congress.cli.congresses"), (("org", "--help"), "congress.cli.orgs")])
def test_a_command_imports_only_its_own_module(args, module):
    modules = imported_after(*args)
    assert [m for m in COMMAND_MODULES if m in modules] == [module]
    assert heavy(modules) == []


def test_help_lists_every_command_with_its_short_help():
    result = run("--help")
    assert result.exit_code == 0
    listed = result.output.split("Lệnh:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    assert "  log       Ghi nhận một đại hội đã tổ chức." in listed


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_lazy_map_says_what_the_command_says(name):
    command = main.get_command(None, name)
    assert command.name == name
    assert COMMANDS[name][1] == command.get_short_help_str(limit=1000)


def test_unknown_command():
    result = run("nosuch")
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: Không có lệnh 'nosuch'.")



def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"congress {importlib.metadata.version('congress')}\n"


def test_org_show_takes_a_name_of_several_words_without_quotes(sample_db):
    result = run("org", "show", "hai", "an")
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith("Đảng bộ phường Hải An (P.HAIAN)\n")


def test_unlog_and_log_take_a_name_of_several_words_with_options_after_it(sample_db):
    result = run("unlog", "hai", "an", "--reason", "ghi nhầm")
    assert result.exit_code == 0, result.stderr
    assert "Đảng bộ phường Hải An (P.HAIAN)" in result.output
    result = run("log", "hai", "an", "--held", "23/7/2025")
    assert result.exit_code == 0, result.stderr
    assert result.output == "Đã ghi nhận: Đảng bộ phường Hải An (P.HAIAN) tổ chức đại hội ngày 23/07/2025.\n"
    result = run("history", "hai", "an", "--limit", "2", "--format", "json")
    assert [row["action"] for row in json.loads(result.output)] == ["log", "unlog"]


def test_org_edit_takes_a_name_of_several_words(sample_db):
    result = run("org", "edit", "ninh", "giang", "--members", "120")
    assert result.exit_code == 0, result.stderr
    assert result.output == "Đã sửa X.NINHGIANG — Đảng bộ xã Ninh Giang.\n"


def test_history_without_an_organisation_lists_every_one(sample_db):
    result = run("history", "--limit", "3", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.output)) == 3


def test_log_still_needs_an_organisation(sample_db):
    result = run("log", "--held", "23/7/2025")
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: Thiếu đối số 'TỔ_CHỨC'.")



class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def paged(monkeypatch):
    """A 24-line terminal; what goes to the pager is collected. (stdout itself is replaced inside
    each test: pytest swaps its own capture in after the fixtures run.)"""
    paged = []
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *_: os.terminal_size((80, 24)))
    monkeypatch.setattr(click, "echo_via_pager", paged.append)
    monkeypatch.delenv("PAGER", raising=False)
    return paged


def test_a_listing_longer_than_the_terminal_goes_through_the_pager(paged, monkeypatch):
    monkeypatch.setattr(sys, "stdout", Terminal())
    listing = "\n".join(f"dòng {n}" for n in range(24))
    echo(listing)
    assert paged == [listing]
    assert sys.stdout.getvalue() == ""


def test_a_listing_that_fits_is_printed(paged, monkeypatch):
    monkeypatch.setattr(sys, "stdout", Terminal())
    listing = "\n".join(f"dòng {n}" for n in range(23))
    echo(listing)
    assert paged == []
    assert sys.stdout.getvalue() == listing + "\n"


def test_no_pager_when_stdout_is_not_a_terminal(paged, monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    echo("\n".join(f"dòng {n}" for n in range(100)))
    assert paged == []
    assert sys.stdout.getvalue().count("\n") == 100


def test_on_windows_only_a_pager_the_user_chose(paged, monkeypatch):
    monkeypatch.setattr(sys, "stdout", Terminal())
    listing = "\n".join(f"dòng {n}" for n in range(100))
    with monkeypatch.context() as windows:  # only around echo: pytest itself must stay on POSIX
        windows.setattr(os, "name", "nt")
        echo(listing)
        assert paged == []
        windows.setenv("PAGER", "less")
        echo(listing)
    assert paged == [listing]


class NoPango:
    """Imports WeasyPrint as it fails on a machine without Pango: OSError from loading the library."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': error 0x7e")
        return None


@pytest.mark.parametrize("failure", ["ImportError", "OSError"])
def test_pdf_without_weasyprint_or_pango_says_what_to_install(sample_db, tmp_path, monkeypatch, failure):
    if failure == "ImportError":
        monkeypatch.setitem(sys.modules, "weasyprint", None)
    else:
        monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
        monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    result = run("brief", "--as-of", "9/7/2025", "--format", "pdf", "-o", "brief.pdf")
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: Định dạng pdf cần WeasyPrint và thư viện Pango")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "brief.pdf").exists()
    assert run("brief", "--as-of", "9/7/2025", "--format", "txt").exit_code == 0


# --- Windows: each test pretends to be Windows only around the code it calls, since pytest itself
# (pathlib, tmp_path) must stay on POSIX


def test_on_windows_redirected_output_is_utf8_not_the_ansi_code_page(monkeypatch):
    redirected = io.TextIOWrapper(io.BytesIO(), encoding="cp1258")  # what Windows gives a `> file`
    monkeypatch.setattr(sys, "stdout", redirected)
    with monkeypatch.context() as windows, pytest.raises(SystemExit) as exit:
        windows.setattr(os, "name", "nt")
        main(["--help"], prog_name="congress")
    assert exit.value.code == 0
    redirected.flush()
    assert "Theo dõi tiến độ đại hội đảng bộ" in redirected.buffer.getvalue().decode("utf-8")


def test_on_windows_the_pg_dump_command_is_double_quoted(monkeypatch):
    from congress.store.backup import pg_dump_command

    url = "postgresql+psycopg://lan:bi-mat@db.vanphong:5433/congress?sslmode=require"
    with monkeypatch.context() as windows:
        windows.setattr(os, "name", "nt")
        command = pg_dump_command(url, r"D:\sao luu\dai-hoi.dump")
    assert command == (
        r'pg_dump --format=custom "--file=D:\sao luu\dai-hoi.dump" '
        '"--dbname=postgresql://lan@db.vanphong:5433/congress?sslmode=require"'
    )


def test_export_into_a_missing_folder_is_one_line(sample_db, tmp_path):
    result = run("export", "orgs", str(tmp_path / "khong-co" / "to-chuc.csv"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: Không ghi được ") and result.stderr.count("\n") == 1


def test_export_over_a_file_open_in_excel_leaves_it_and_says_why(sample_db, tmp_path, monkeypatch):
    target = tmp_path / "to-chuc.xlsx"
    target.write_bytes(b"the old export")

    def locked(source, destination):  # what Windows does while Excel has the file open
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    result = run("export", "orgs", str(target), "--force")
    assert result.exit_code == 1
    assert "tệp có đang mở trong Excel" in result.stderr and result.stderr.count("\n") == 1
    assert target.read_bytes() == b"the old export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("to-chuc")] == ["to-chuc.xlsx"]


def test_init_force_over_a_file_in_use_is_one_line(tmp_path, monkeypatch):
    import pathlib

    run("--db", str(tmp_path / "congress.db"), "init")
    before = (tmp_path / "congress.db").read_bytes()

    def in_use(self, missing_ok=False):  # Windows will not delete a file another program has open
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pathlib.Path, "unlink", in_use)
    result = run("--db", str(tmp_path / "congress.db"), "init", "--force", "--yes")
    assert result.exit_code == 1
    assert "có chương trình nào đang mở tệp này không?" in result.stderr and result.stderr.count("\n") == 1
    assert (tmp_path / "congress.db").read_bytes() == before
