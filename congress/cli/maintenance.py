"""Looking after the database: check, backup, undo."""
import click

from congress.cli.common import App, as_json, confirm, group_option, pass_app, view_format_option


@click.command("check")
@view_format_option
@pass_app
def check(app: App, fmt) -> int:
    """Kiểm tra cơ sở dữ liệu: tệp còn nguyên vẹn và dữ liệu hợp lý (thoát với mã 1 nếu có vấn đề)."""
    from congress.application.maintenance import check as checked
    from congress.domain import vn

    report = checked(app.db, app.today)
    if fmt == "json":
        click.echo(as_json({"storage_checked": report.storage_checked,
                            "findings": [vars(finding) for finding in report.findings]}))
        return 1 if report.findings else 0
    if not report.storage_checked:
        click.echo("PostgreSQL không có lệnh kiểm tra tệp tương đương: chỉ kiểm tra dữ liệu.")
    for finding in report.findings:
        click.echo(str(finding))
    if report.findings:
        click.echo(f"Phát hiện {vn.number(len(report.findings))} vấn đề.")
        return 1
    click.echo("Không phát hiện vấn đề.")
    return 0


@click.command("backup")
@click.argument("file", metavar="TỆP", type=click.Path(dir_okay=True, path_type=str))
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@pass_app
def backup(app: App, file: str, force: bool) -> None:
    """Sao lưu cơ sở dữ liệu vào TỆP trong khi mọi người vẫn ghi (PostgreSQL: in lệnh pg_dump cần chạy)."""
    import os

    from congress.application.maintenance import ServerCopy, backup as copied

    copy = copied(app.db, file, force=force)
    if isinstance(copy, ServerCopy):
        pgpass = r"%APPDATA%\postgresql\pgpass.conf" if os.name == "nt" else "~/.pgpass"
        click.echo(f"Với PostgreSQL, sao lưu bằng pg_dump (mật khẩu: pg_dump hỏi, hoặc lấy từ {pgpass}):")
        click.echo(f"  {copy.dump}")
        click.echo(f"Khôi phục vào một cơ sở dữ liệu trống bằng {copy.restore}.")
        return
    click.echo(f"Đã sao lưu vào {file} ({copy}).")


@click.command("undo")
@click.option("--yes", is_flag=True, help="Không hỏi lại.")
@group_option("Tổ công tác đang ghi (hoặc biến CONGRESS_GROUP); được lưu trong lịch sử.")
@pass_app
def undo(app: App, yes: bool, group) -> None:
    """Hoàn tác thay đổi gần nhất của chính mình (lịch sử giữ cả hai)."""
    from congress.application import congresses

    actor = congresses.Actor.current(group)
    # read, ask, then write: nobody waits on the database while the user answers
    found = congresses.undo_plan(app.db, actor)
    click.echo(found.described)
    if not yes:
        confirm("Hoàn tác thay đổi này?")
    congresses.undo(app.db, actor, found)
    click.echo("Đã hoàn tác; lịch sử giữ cả thay đổi cũ và lần hoàn tác này.")
