"""Excel and CSV in and out: import, template, export."""
import os
import sys
from contextlib import contextmanager

import click

from congress.cli.common import App, _late_click, as_of_option, echo, group_option, pass_app, worded

_KINDS = ("orgs", "schedule", "held")
_LARGE = 2000  # rows from which an import shows a progress bar (on a terminal only)


@click.group("import")
def import_() -> None:
    """Nhập tệp Excel (.xlsx) hoặc CSV: tổ chức, ngày dự kiến, ngày tổ chức.

    Mọi dòng được kiểm tra trước; chỉ cần một dòng sai là không ghi gì (trừ khi dùng
    --skip-invalid). Nhập lại cùng một tệp không thay đổi gì.
    """


def _import_command(kind: str, summary: str):
    @import_.command(kind, help=summary)
    @click.argument("path", metavar="TỆP")
    @group_option("Tổ công tác đang nhập (hoặc biến CONGRESS_GROUP); tổ chức ngoài phạm vi của tổ bị từ chối.")
    @click.option("--dry-run", is_flag=True, help="Chỉ cho biết sẽ thêm, sửa gì; không ghi.")
    @click.option("--skip-invalid", is_flag=True, help="Ghi các dòng hợp lệ, liệt kê các dòng bị bỏ qua.")
    @click.option("--force", is_flag=True, help="Như «congress log --force» và «schedule --force»: ghi cả ngoài phạm vi của tổ, ghi đè ngày đã ghi, "
                       "ghi cấp trên trước cấp dưới, ngày dự kiến sau hạn chót.")
    @pass_app
    def command(app: App, path, group, dry_run, skip_invalid, force) -> None:
        from pathlib import Path

        from congress.application import imports
        from congress.domain.errors import CongressError
        from congress.read.lookups import find_group
        from congress.store.sql import Store
        from congress.writes.register import Actor

        with app.session(write=not dry_run) as session:
            if group is not None:
                find_group(Store.of_session(session), group)
            with _progress() as progress:
                plan = imports.plan_import(
                    session, kind, Path(path), Actor.current(group), today=app.today, force=force, progress=progress
                )
            trouble = imports.problems(plan, skip_invalid=skip_invalid, worded=worded)
            if trouble and not skip_invalid:
                if dry_run:  # what the other rows would write, as the web's dry run shows it, then the refusal
                    echo(imports.report(plan, dry_run=True))
                raise CongressError(trouble)
            if trouble:
                click.echo(trouble, err=True)
            if not dry_run and plan.changes:
                plan.apply()
            done = imports.report(plan, dry_run=dry_run)
        echo(done)  # only once the import is committed

    return command


_import_command("orgs", "Thêm hoặc sửa tổ chức: mã, tên, cấp, loại, cấp trên, tổ công tác, số đảng viên.")
_import_command("schedule", "Ghi ngày dự kiến từ tệp: tổ chức (mã hoặc tên), ngày dự kiến, ghi chú.")
_import_command("held", "Ghi ngày tổ chức từ tệp báo cáo của tổ công tác: tổ chức (mã hoặc tên), ngày tổ chức, ghi chú.")


class _progress:
    """A progress bar on stderr for large imports, only when stderr is a terminal."""

    def __enter__(self):
        self.bar = None
        return self.start

    def start(self, size):
        if size is None or size < _LARGE or not sys.stderr.isatty():
            return None
        _late_click("click._termui_impl")
        self.bar = click.progressbar(length=size, label="Đang đọc và kiểm tra", file=sys.stderr)
        self.bar.__enter__()
        return self.bar.update

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@click.command("template")
@click.argument("kind", type=click.Choice(_KINDS), metavar="orgs|schedule|held")
@click.argument("path", metavar="TỆP.xlsx")
@group_option("Chỉ các tổ chức do tổ công tác này phụ trách.")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@pass_app
def template(app: App, kind, path, group, force) -> None:
    """Tạo tệp Excel mẫu để điền: danh sách tổ chức, tiêu đề tiếng Việt, cột ngày dd/mm/yyyy."""
    from congress.presentation import exports
    from congress.domain import vn
    from congress.domain.errors import CongressError

    if not path.lower().endswith(".xlsx"):
        raise CongressError("Tệp mẫu là tệp Excel: tên tệp phải kết thúc bằng .xlsx.")
    with app.session() as session:
        with _output(path, force) as stream:
            listed = exports.write_template(session, kind, stream, group=group, today=app.today)
    click.echo(f"Đã tạo {path}: {vn.number(listed)} tổ chức.")


@click.command("export")
@click.argument("what", type=click.Choice(("orgs", "status", "overdue", "history")), metavar="orgs|status|overdue|history")
@click.argument("path", metavar="TỆP|-")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]),
              help="Định dạng (mặc định theo đuôi tệp; «-» là CSV).")
@as_of_option
@click.option("--no-bom", is_flag=True, help="CSV không có BOM (cho các công cụ khác; Excel cần BOM).")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@pass_app
def export(app: App, what, path, fmt, as_of, no_bom, force) -> None:
    """Xuất ra Excel, CSV hoặc JSON: tổ chức, chưa đại hội (status), quá hạn, lịch sử.

    «status» là mọi tổ chức chưa đại hội cùng tình trạng; «overdue» chỉ các tổ chức quá hạn.
    """
    from congress.presentation import exports
    from congress.domain import vn
    from congress.read.progress import Progress

    fmt = _format(path, fmt)
    if path != "-":
        from pathlib import Path

        from congress.store.files import check_target

        check_target(Path(path), force=force)  # before reading the register, not after
    with app.store() as store:
        rows, columns = _table(store, Progress(store, app.as_of(store, as_of), today=app.today), what, fmt)
    with _output(path, force) as stream:
        exports.write_table(stream, rows, columns, fmt, title=exports.SHEET_TITLES[what], bom=not no_bom)
    if path != "-":
        click.echo(f"Đã xuất {vn.number(len(rows))} dòng ra {path}.")


def _format(path: str, fmt):
    from congress.domain.errors import CongressError

    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    if fmt is None:
        if path == "-" or suffix in ("csv", "txt"):
            return "csv"
        if suffix in ("xlsx", "json"):
            return suffix
        raise CongressError(f"Không biết định dạng của «{path}»: đặt đuôi .xlsx, .csv, .json hoặc dùng --format.")
    if suffix in ("csv", "xlsx", "json") and suffix != fmt:
        raise CongressError(f"Tệp {path} có đuôi .{suffix} nhưng --format là {fmt}.")
    return fmt


def _table(store, progress, what: str, fmt: str):
    """Rows and the columns the matching command prints (congress.presentation.listings)."""
    from congress.presentation import listings

    if what == "orgs":
        return progress.organisations(), listings.organisation_columns(with_parent=True)
    if what == "history":
        from congress.read.progress import changes

        return listings.history_rows(changes(store)), listings.history_columns()
    entries = progress.listing("overdue") if what == "overdue" else sorted(
        progress.pending, key=lambda e: (e.working_group is None, e.working_group or 0, e.code)
    )
    return listings.entry_rows(entries), listings.entry_columns(fmt)


@contextmanager
def _output(path: str, force: bool):
    """"-" is stdout; any other path is written whole or not at all (congress.store.files)."""
    if path != "-":
        from congress.store.files import written

        with written(path, force=force) as stream:
            yield stream
        return
    sys.stdout.flush()
    yield sys.stdout.buffer
    sys.stdout.buffer.flush()
