"""Excel and CSV in and out: import, template, export."""
import os
import sys

import click

from congress.cli.common import App, _late_click, as_of_option, echo, group_option, pass_app, worded
from congress.presentation.exports import EXPORTS

_KINDS = ("orgs", "schedule", "held", "results")
_LARGE = 2000  # rows from which an import shows a progress bar (on a terminal only)


@click.group("import")
def import_() -> None:
    """Nhập tệp Excel (.xlsx) hoặc CSV: tổ chức, ngày dự kiến, ngày tổ chức, kết quả đại hội.

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

        try:
            with _progress() as progress:
                done = imports.import_sheet(app.db, kind, Path(path), group=group, today=app.today, force=force,
                                            dry_run=dry_run, skip_invalid=skip_invalid, worded=worded,
                                            progress=progress)
        except imports.RowsRefused as refused:
            if dry_run:  # what the other rows would write, as the web's dry run shows it, then the refusal
                echo(refused.report)
            raise
        if done.skipped:
            click.echo(done.skipped, err=True)
        echo(done.report)  # only once the import is committed

    return command


_import_command("orgs", "Thêm hoặc sửa tổ chức: mã, tên, cấp, loại, cấp trên, tổ công tác, số đảng viên.")
_import_command("schedule", "Ghi ngày dự kiến từ tệp: tổ chức (mã hoặc tên), ngày dự kiến, ghi chú.")
_import_command("held", "Ghi ngày tổ chức từ tệp báo cáo của tổ công tác: tổ chức (mã hoặc tên), ngày tổ chức, ghi chú.")
_import_command("results", "Ghi kết quả đại hội đã tổ chức từ tệp báo cáo của tổ công tác: tổ chức (mã hoặc tên), "
                           "các số liệu như «congress result» (ô trống giữ số đã ghi), ghi chú kết quả.")


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
@click.argument("kind", type=click.Choice(_KINDS), metavar="|".join(_KINDS))
@click.argument("path", metavar="TỆP.xlsx|TỆP.csv")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), help="Định dạng (mặc định theo đuôi tệp).")
@group_option("Chỉ các tổ chức do tổ công tác này phụ trách.")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@pass_app
def template(app: App, kind, path, fmt, group, force) -> None:
    """Tạo tệp mẫu để điền (Excel hoặc CSV): danh sách tổ chức, tiêu đề tiếng Việt, cột ngày dd/mm/yyyy.

    «results» liệt kê các đại hội đã tổ chức, mỗi số liệu kết quả một cột, điền sẵn số đã ghi.
    Tệp .csv có cùng các cột, không có kiểm tra của Excel.
    """
    from pathlib import Path

    from congress.application import transfer
    from congress.domain import vn

    listed = transfer.template(app.db, kind, Path(path), group=group, today=app.today, force=force,
                               fmt=_template_format(path, fmt))
    click.echo(f"Đã tạo {path}: {vn.number(listed)} tổ chức.")


@click.command("export")
@click.argument("what", type=click.Choice(EXPORTS), metavar="|".join(EXPORTS))
@click.argument("path", metavar="TỆP|-")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]),
              help="Định dạng (mặc định theo đuôi tệp; «-» là CSV).")
@as_of_option
@click.option("--no-bom", is_flag=True, help="CSV không có BOM (cho các công cụ khác; Excel cần BOM).")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@pass_app
def export(app: App, what, path, fmt, as_of, no_bom, force) -> None:
    """Xuất ra Excel, CSV hoặc JSON: tổ chức, chưa đại hội (status), quá hạn, chậm chuẩn bị, kết quả đại hội, lịch sử.

    «status» là mọi tổ chức chưa đại hội cùng tình trạng; «overdue» chỉ các tổ chức quá hạn; «preparation» các
    đại hội chậm chuẩn bị; «results» kết quả đại hội theo cấp và theo tổ công tác.
    """
    from pathlib import Path

    from congress.application import transfer
    from congress.domain import vn

    fmt = _format(path, fmt)
    if path != "-":
        listed = transfer.export(app.db, what, fmt, Path(path), as_of=as_of, today=app.today, bom=not no_bom,
                                 force=force)
        click.echo(f"Đã xuất {vn.number(listed)} dòng ra {path}.")
        return
    sys.stdout.flush()
    transfer.export(app.db, what, fmt, sys.stdout.buffer, as_of=as_of, today=app.today, bom=not no_bom)
    sys.stdout.buffer.flush()


def _template_format(path: str, fmt):
    """--format, else the file's suffix: .xlsx, or a CSV as `import` reads one (.csv, .txt, .tsv); any
    other name is an Excel file's, which transfer.template refuses for its name."""
    from congress.domain.errors import CongressError

    suffix = os.path.splitext(path)[1].lower()
    named = "csv" if suffix in (".csv", ".txt", ".tsv") else "xlsx" if suffix == ".xlsx" else None
    if fmt is not None and named is not None and named != fmt:
        raise CongressError(f"Tệp {path} có đuôi {suffix} nhưng --format là {fmt}.")
    return fmt or named or "xlsx"


def _format(path: str, fmt):
    """The format the command line asks for: --format, else the file's suffix."""
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
