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
    from congress.application.brief import BriefAsked, write_brief
    from congress.domain.errors import CongressError

    if as_of and week:
        raise CongressError("Chỉ chọn một trong --as-of và --week.")
    if fmt in ("pdf", "docx") and not output:
        raise CongressError(f"Định dạng {fmt} cần tệp ra: thêm -o TÊN_TỆP.{fmt}.")
    asked = BriefAsked(fmt=fmt, as_of=as_of, week=week, issued=issued, number=number, group=group, annex=annex,
                       as_recorded=as_recorded, notes_file=notes)
    document = write_brief(app.db, asked, app.today, output=output, force=force)
    if not output:
        click.echo(document, nl=False)
        return
    click.echo(f"Đã ghi báo cáo vào {output}.", err=True)
