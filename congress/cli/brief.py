import click

from congress.cli.common import GROUP_NUMBER, App, Bounded, as_recorded_option, complete_group, pass_app
from congress.domain.rules import MAX_BRIEF_NUMBER


@click.command("brief")
@click.option(
    "--as-of", "as_of", metavar="NGÀY", help="Số liệu tính đến ngày này; tuần kết thúc vào ngày này (mặc định hôm nay).",
)
@click.option("--date", "issued", metavar="NGÀY", help="Ngày ban hành in trên văn bản (mặc định hôm nay).")
@click.option("--week", metavar="NĂM-Wtuần", help="Tuần ISO, ví dụ 2025-W28; báo cáo tính đến Chủ nhật của tuần.")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "pdf", "md", "txt", "docx"]), default="html", show_default=True,
    help="html để in, pdf, docx để sửa trong Word, md cho tin nhắn, txt cho thư điện tử hoặc màn hình.",
)
@click.option("-o", "--output", metavar="TỆP", help="Ghi ra tệp (bắt buộc với pdf và docx).")
@click.option("--force", is_flag=True, help="Ghi đè tệp -o đã có.")
@click.option("--number", type=Bounded(1, MAX_BRIEF_NUMBER), metavar="SỐ", help="Số văn bản; bỏ trống để văn thư điền tay.")
@click.option(
    "--annex/--no-annex", default=True, show_default=True,
    help="Danh sách dài hơn thiết lập brief.annex_rows in ở phụ lục; --no-annex bỏ ra và chỉ lệnh để xem.",
)
@click.option("--group", type=GROUP_NUMBER, metavar="SỐ", shell_complete=complete_group,
              help="Báo cáo cho tổ trưởng một tổ công tác: chỉ các tổ chức do tổ phụ trách.")
@click.option(
    "--notes", metavar="TỆP",
    help="Tệp văn bản hoặc Markdown với các phần «Đánh giá chung», «Nhiệm vụ trọng tâm tuần tới», «Đề xuất, kiến nghị».",
)
@as_recorded_option
@pass_app
def brief(app: App, as_of, week, issued, fmt, output, force, number, annex, group, notes, as_recorded) -> None:
    """Báo cáo tiến độ hằng tuần gửi Ban Thường vụ."""
    from pathlib import Path

    from congress.presentation.brief import parse_notes, render, week_end
    from congress.cli.common import scope_for
    from congress.domain.dates import check_as_of
    from congress.domain.errors import CongressError
    from congress.store.files import check_target, written

    if as_of and week:
        raise CongressError("Chỉ chọn một trong --as-of và --week.")
    if fmt in ("pdf", "docx") and not output:
        raise CongressError(f"Định dạng {fmt} cần tệp ra: thêm -o TÊN_TỆP.{fmt}.")
    if output:
        check_target(Path(output), force=force)  # before the seconds a PDF takes, not after
    office_notes = None
    if notes:
        try:
            office_notes = parse_notes(Path(notes).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as error:
            raise CongressError(f"Không đọc được tệp ghi chú {notes}: {getattr(error, 'strerror', None) or error}.") from None
    with app.store() as store:
        if week:
            day = week_end(week)
            check_as_of("Ngày cuối tuần", day, None)
        else:
            day = app.as_of(store, as_of)
        document = render(store, day, fmt, number, issued_on=app.as_of(store, issued), today=app.today,
                          as_recorded=as_recorded, annex=annex, scope=scope_for(store, None, group, None),
                          notes=office_notes)
    if not output:
        click.echo(document, nl=False)
        return
    with written(output, force=force) as stream:
        stream.write(document if isinstance(document, bytes) else document.encode("utf-8"))
    click.echo(f"Đã ghi báo cáo vào {output}.", err=True)
