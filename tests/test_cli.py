"""The command line itself: lazy commands, --version, organisations typed without quotes, the pager."""
import importlib.metadata
import json
import subprocess
import sys

import pytest

from congress.cli import COMMANDS, main
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
    listed = result.output.split("Commands:\n")[1].splitlines()
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
    assert result.stderr.startswith("Lỗi: No such command 'nosuch'.")



def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"congress {importlib.metadata.version('congress')}\n"
