"""What every command shares: the database, today, dates, organisations, formats, errors."""
from __future__ import annotations

import datetime as dt
import errno
import os
import sys

import click

from congress.domain.errors import Allow, Ambiguous, CongressError


# What would let a refusal through, in the command line's words (congress.domain.errors.Allow). A hint in
# brackets, or one going on with ";" or ",", is said in passing, before the sentence's full stop; one
# starting with a new line stands on a line of its own.
HINTS = {
    Allow.COMMITTEE: "(--committee)",
    Allow.CONNECT: "; kiểm tra địa chỉ --db và máy chủ",
    Allow.CREATE: ("\nTạo mới bằng «congress init» (trống) hoặc «congress init --sample» (dữ liệu mẫu), "
                   "hoặc chỉ đường dẫn bằng --db hay biến môi trường CONGRESS_DB."),
    Allow.EDIT_ORGANISATION: "Nếu thêm nhầm, sửa lại bằng «congress org edit» (tên, cấp trên) hoặc ghi ngày giải thể "
                             "(--dissolved).",
    Allow.GRANT_GROUP: ", rồi giao tổ bằng «congress db grant-group SỐ_TỔ TÊN»",
    Allow.INIT: "Tạo bằng «congress init».",
    Allow.LIST_ACCOUNTS: "(xem «congress user list»)",
    Allow.NAME_GROUP: "; với SQLite, hãy dùng --group khi ghi",
    Allow.NEW_PASSWORD: "(đổi mật khẩu bằng «congress user passwd {name}»)",
    Allow.OPEN_ROUND: "Văn phòng mở lại bằng «congress round open {name}» nếu cần sửa.",
    Allow.CHOOSE_ROUND: "Chọn nhiệm kỳ của tổ chức này bằng --round (xem «congress round list»).",
    Allow.OVERRIDE: "Dùng --force {when}.",
    Allow.OVERWRITE: "Dùng --force {when}.",
    Allow.PARENT: "(--parent)",
    Allow.REASON: "(--reason)",
    Allow.REASSIGN_GROUP: "Nếu lập nhầm, sửa tên hoặc giao lại các đảng bộ bằng «congress group assign».",
    Allow.RETIRE_STEP: "(--retire)",
    Allow.RETIRE_ADDED_STEP: "Nếu thêm nhầm, ngừng dùng bước bằng «congress round step {code} --retire».",
    Allow.RESTORE: "Hãy khôi phục từ bản sao lưu gần nhất (congress backup) và báo cho người quản trị.",
    Allow.SETTINGS: "Đặt bằng «congress settings set KHÓA GIÁ_TRỊ» (xem «congress settings list»).",
    Allow.SKIP_INVALID: "Sửa tệp rồi nhập lại, hoặc dùng --skip-invalid {when}.",
    Allow.UNDO_AGAIN: "Chạy lại «congress undo».",
    Allow.UPGRADE: "; chạy «congress db upgrade» để cập nhật (dữ liệu được giữ nguyên)",
}


def worded(error: CongressError) -> str:
    """A refusal as the command line says it: the domain's facts, then the option or command that allows it."""
    hint = HINTS.get(error.allow)
    if not hint:
        return str(error)
    hint, said = hint.format(when=error.when, **error.facts), str(error)
    if hint.startswith("\n"):
        return said + hint
    if hint.startswith(("(", ";", ",")):
        return f"{said[:-1]}{'' if hint[0] in ';,' else ' '}{hint}{said[-1]}"
    return f"{said} {hint}"


class App:
    """What a command is given: where the database is, and today."""

    def __init__(self, db: str):
        self.db = db

    @property
    def today(self) -> dt.date:
        """CONGRESS_TODAY replays a day (tests, rehearsals), ISO or day-first; otherwise the machine's date."""
        from congress.domain.dates import today

        return today()


pass_app = click.make_pass_decorator(App)


class Bounded(click.IntRange):
    """A whole number within bounds (SQLite holds 64 bits, a typo holds more), refused in Vietnamese
    as a malformed command line (exit 2)."""

    def __init__(self, min: int, max: int):
        super().__init__(min=min, max=max)

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            name = "/".join(param.opts) if param is not None and param.opts else "số"
            shown = str(value) if len(str(value)) <= 30 else str(value)[:30] + "…"
            raise click.UsageError(
                f"{name}: «{shown}» phải là số nguyên từ {self.min} đến {self.max}.", ctx
            ) from None


GROUP_NUMBER = Bounded(1, 9999)


def format_option(f):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="Cách in: bảng, CSV hoặc JSON.",
    )(f)


def view_format_option(f):
    """One thing shown: Vietnamese text, or its facts as JSON."""
    return click.option(
        "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
        help="Cách in: chữ hoặc JSON.",
    )(f)


def as_json(facts) -> str:
    """Facts (dicts, lists, dates) as JSON, dates in ISO: what every `--format json` prints."""
    from congress.presentation.sinks import json_text

    return json_text(facts)


def as_of_option(f):
    return click.option("--as-of", "as_of", metavar="NGÀY", help="Tính đến ngày này (mặc định hôm nay).")(f)


def listing_options(f):
    """What every listing as of a day takes: --as-of, --format (table, CSV, JSON), and the app."""
    return as_of_option(format_option(pass_app(f)))


def view_options(f):
    """What one thing shown as of a day takes: --as-of, --format (text, JSON), and the app."""
    return as_of_option(view_format_option(pass_app(f)))


def group_option(help_text: str):
    return click.option(
        "--group", "group", type=GROUP_NUMBER, envvar="CONGRESS_GROUP", metavar="SỐ", help=help_text,
        shell_complete=complete_group,
    )


def _location(ctx: click.Context) -> str:
    from congress.application.database import locate

    return locate(ctx.find_root().params.get("db"))


def complete_organisation(ctx: click.Context, _param, incomplete: str):
    """Codes whose code, name or short name starts with what is typed, folded: "hai" offers P.HAIAN."""
    from click.shell_completion import CompletionItem

    from congress.application.typed import organisations_starting

    return [CompletionItem(code, help=name) for code, name in organisations_starting(_location(ctx), incomplete)]


def complete_group(ctx: click.Context, _param, incomplete: str):
    from click.shell_completion import CompletionItem

    from congress.application.typed import groups_starting

    return [CompletionItem(str(number), help=name) for number, name in groups_starting(_location(ctx), incomplete)]


def organisation_argument(required: bool = True):
    """The last argument of a command: `hai an` typed without quotes is one name, not two arguments."""
    return click.argument(
        "organisation",
        nargs=-1,
        required=required,
        metavar="TỔ_CHỨC" if required else "[TỔ_CHỨC]",
        callback=lambda _ctx, _param, words: " ".join(words) or None,
        shell_complete=complete_organisation,
    )


def echo(text: str) -> None:
    """A listing longer than the terminal goes through a pager; piped or redirected output, as it is.
    On a terminal, control characters stored in a name are shown, not obeyed (congress.presentation.sinks.visible);
    piped, a CSV or JSON keeps the stored text byte for byte."""
    if not text:
        return
    if sys.stdout.isatty():
        from congress.presentation.sinks import visible

        text = visible(text)
        if _pager_reads_utf8():
            import shutil  # only on a terminal: it imports bz2, lzma and zlib, which piped runs do not need

            if text.count("\n") + 1 >= shutil.get_terminal_size().lines:  # ">=": the prompt takes a line
                _late_click("click._termui_impl")
                click.echo_via_pager(text)
                return
    # color=True: Click would strip what looks like a colour code from piped output, and a CSV on
    # stdout must carry the stored text exactly; on a terminal the text is already made visible
    click.echo(text, color=True)


# what writing stdout raises on a full disk or a device that refuses it (`> /dev/full`). Files are
# written through congress.store.files and the database's errors through congress.store.database.explain, each with
# its own message, so one of these reaching the edge is stdout's.
_OUTPUT_FAILED = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _silence_stdout() -> None:
    # what did not fit may still be in Python's buffer and would fail again, with a traceback, when
    # the process exits: the descriptor now points at the null device, so that last flush succeeds
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


_YES = ("c", "có", "co", "y", "yes")
_NO = ("k", "không", "khong", "n", "no", "")


def confirm(question: str) -> None:
    """Asks; anything but yes stops the command, changing nothing. Click's own confirm knows only y/n:
    this one takes c/có and k/không (y and n too), and an empty answer is no."""
    from congress.domain.vn import nfc

    while True:
        try:
            answer = click.prompt(f"{question} [c/K]", default="", show_default=False, prompt_suffix=" ",
                                  err=True)
        except click.Abort:  # end of input or Ctrl-C: not a yes (and the message on a line of its own)
            click.echo(err=True)
            answer = "k"
        answer = nfc(answer.strip().lower())
        if answer in _YES:
            return
        if answer in _NO:
            raise CongressError("Đã dừng; không có gì thay đổi.")
        click.echo("Trả lời c (có) hoặc k (không).", err=True)


def _pager_reads_utf8() -> bool:
    # On Windows Click pages through `more`, which reads the console's code page and garbles
    # Vietnamese; only a pager the user chose (PAGER, e.g. Git's less) is used there.
    return os.name != "nt" or bool(os.environ.get("PAGER"))


class CongressGroup(click.Group):
    """Errors reach the user as "Lỗi: …" on stderr, never a traceback: exit 1 for what the
    register refuses, 2 for a malformed command line (as Click does)."""

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None):
        # Click's own test of the completion variable, so that only a completion request imports it
        if complete_var is None:
            complete_var = "_{}_COMPLETE".format(prog_name.replace("-", "_").replace(".", "_")).upper()
        if not os.environ.get(complete_var):
            return
        _late_click("click.shell_completion")
        return super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if os.name == "nt":
            _utf8_output()
        _vietnamese_click()
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except CongressError as error:
            from congress.presentation.sinks import visible  # a stored name in a message is shown, not obeyed

            click.echo(f"Lỗi: {visible(worded(error))}", err=True)
            if isinstance(error, Ambiguous):
                for candidate in error.candidates:
                    click.echo(f"  {visible(candidate)}", err=True)
            sys.exit(1)
        except click.UsageError as error:
            click.echo(f"Lỗi: {error.format_message()}", err=True)
            if error.ctx is not None:
                click.echo(f"Xem «{error.ctx.command_path} --help».", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"Lỗi: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Đã dừng; không có gì thay đổi.", err=True)
            sys.exit(1)
        except BrokenPipeError:
            # the reader (e.g. `| head`) closed the pipe: nothing more to say
            sys.stdout = None
            sys.exit(1)
        except OSError as error:
            if error.errno not in _OUTPUT_FAILED:
                _last_resort(error, args)
            _silence_stdout()
            from congress.application.output import failure_reason

            click.echo(f"Lỗi: Không ghi được kết quả ra đầu ra chuẩn: {failure_reason(error)}.", err=True)
            sys.exit(1)
        except Exception as error:
            _last_resort(error, args)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


LOCALE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "locale")


def _vietnamese_click() -> None:
    """Click's own messages, help headings and prompts in Vietnamese (congress/locale), whatever LANG says.
    Each Click module binds the stdlib's gettext.gettext and ngettext when imported, and those pick a
    catalogue from LANGUAGE/LANG; setting those would reach the pager we start too. So each Click
    module gets the Vietnamese catalogue's own two functions instead: this process only. Click imports
    its pager, progress bar and completion modules late; they are given the catalogue when they are
    imported here (_late_click), so a plain command does not pay for them."""
    import gettext

    click.Context.formatter_class = _Formatter
    catalogue = _catalogue()
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if getattr(module, "_", None) is gettext.gettext:
                module._ = catalogue.gettext
            if getattr(module, "ngettext", None) is gettext.ngettext:
                module.ngettext = catalogue.ngettext


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns: COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _late_click(name: str) -> None:
    """One of Click's late modules (click._termui_impl, click.shell_completion), in Vietnamese."""
    import importlib

    importlib.import_module(name)
    _vietnamese_click()


_CATALOGUE = []


def _one_or_many(n: int) -> int:
    return int(n != 1)


def _catalogue():
    # read straight from the file: gettext.translation() would look the language up through the
    # locale module, about 1 ms more at each start
    if not _CATALOGUE:
        import gettext

        # The catalogue's plural rule is gettext's own default, "(n != 1)"; gettext would still compile it
        # through a tokenizing regular expression built for the purpose, about 5 ms at each start
        compile_plural = gettext.c2py
        gettext.c2py = lambda rule: _one_or_many if rule.strip() == "(n != 1)" else compile_plural(rule)
        try:
            with open(os.path.join(LOCALE, "vi", "LC_MESSAGES", "click.mo"), "rb") as mo:
                _CATALOGUE.append(gettext.GNUTranslations(mo))
        finally:
            gettext.c2py = compile_plural
    return _CATALOGUE[0]


class _Formatter(click.HelpFormatter):
    """The usage line's placeholders are literal in Click (options_metavar, subcommand_metavar), not
    messages: they are put in Vietnamese where every help page is laid out. The width is Click's, read
    without shutil, which imports bz2 and lzma: about 4 ms of every `--help`."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None):
        from click import formatting

        if width is None:
            width = formatting.FORCED_WIDTH
        if width is None:
            width = max(min(_terminal_columns(), max_width or 80) - 2, 50)
        super().__init__(indent_increment, width, max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[TÙY_CHỌN]").replace("COMMAND [ARGS]...", "LỆNH [ĐỐI_SỐ]...")
        super().write_usage(prog, args, prefix)


def _last_resort(error: Exception, args) -> None:
    """Anything unexpected: one line saying what failed and where; the traceback only when asked."""
    argv = sys.argv[1:] if args is None else list(args)
    if "--debug" in argv or os.environ.get("CONGRESS_DEBUG") == "1":
        raise error
    click.echo(f"Lỗi: {_unexpected(error, argv)}", err=True)
    sys.exit(1)


def _unexpected(error: Exception, argv: list[str]) -> str:
    """The last resort: what failed and where, in one line; the traceback only with --debug."""
    import traceback
    from pathlib import Path

    last = traceback.extract_tb(error.__traceback__)[-1]
    from congress.application.database import shown

    command = " ".join(shown(a) for a in argv[:3] if not a.startswith("-")) or "congress"  # --db's URL: no password
    return (
        f"lệnh «{command}» gặp sự cố ngoài dự kiến ({Path(last.filename).name}, dòng {last.lineno}). "
        "Hãy báo cho người phụ trách phần mềm congress, kèm lệnh vừa chạy và kết quả khi chạy lại với "
        "--debug (hoặc CONGRESS_DEBUG=1)."
    )


def _utf8_output() -> None:
    # Windows writes redirected output (`congress status > tien-do.txt`) in the ANSI code page,
    # cp1252 or cp1258, neither of which holds "Đảng bộ": UTF-8 instead. The console is UTF-8 already.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


ROUND_OPTION = "--round"


def hoist_round(args: list[str]) -> list[str]:
    """The arguments with every `--round X` / `--round=X` moved to the front (before a `--`, which ends
    the options, only)."""
    moved, rest, index = [], [], 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == ROUND_OPTION and index + 1 < len(args):
            moved += args[index:index + 2]
            index += 2
            continue
        if arg == ROUND_OPTION and moved == [] and rest == []:  # `congress --round`: Click says it
            return args
        if arg.startswith(ROUND_OPTION + "="):
            moved.append(arg)
        else:
            rest.append(arg)
        index += 1
    return moved + rest


class LazyGroup(CongressGroup):
    """Click's LazyGroup: a command's module is imported only when that command runs, and the
    listing in `--help` comes from `lazy` alone, so it imports none of them."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy  # name → ("module:attribute", short help)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.lazy)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """--round is the whole command line's (every command is about one round), so it is taken
        wherever it is typed: `congress status --round X` as `congress --round X status`."""
        hoisted = hoist_round(args)
        if hoisted[-1:] == [ROUND_OPTION] and args[-1:] == [ROUND_OPTION]:  # typed last, without its name
            raise click.BadOptionUsage(ROUND_OPTION, f"Tùy chọn '{ROUND_OPTION}' cần một giá trị.", ctx)
        return super().parse_args(ctx, hoisted)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.lazy:
            return None
        import importlib

        module, attribute = self.lazy[name][0].split(":")
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))  # as click.Group lays it out
        # a bare Command shortens the help to the width exactly as the real command would
        rows = [(name, click.Command(name, help=self.lazy[name][1]).get_short_help_str(limit)) for name in names]
        with formatter.section("Lệnh"):
            formatter.write_dl(rows)


def scope_for(store, level: str | None, group: int | None, committee: str | None):
    """Filters as typed → a Scope (congress.application.reads.scope_for)."""
    from congress.application.reads import scope_for

    return scope_for(store, level, group, committee)


def as_recorded_option(f):
    return click.option(
        "--as-recorded", is_flag=True,
        help="Chỉ tính những gì đã ghi đến hết ngày --as-of (cả ngày tổ chức), để in lại đúng báo cáo đã ban hành.",
    )(f)
