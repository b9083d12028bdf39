import click

from congress.cli.common import App, pass_app


@click.command("init")
@click.option("--sample", is_flag=True, help="Nạp dữ liệu mẫu Hải Phòng (tên tổ chức cơ sở là minh họa).")
@click.option("--force", is_flag=True, help="Xóa cơ sở dữ liệu đã có và tạo lại.")
@pass_app
def init(app: App, sample: bool, force: bool) -> None:
    """Tạo cơ sở dữ liệu mới (nhiệm kỳ 2025-2030)."""
    from congress.setup import initialise

    initialise(app.db, sample=sample, force=force)
    what = "dữ liệu mẫu Hải Phòng" if sample else "sổ theo dõi trống"
    click.echo(f"Đã tạo {app.db} ({what}).")
