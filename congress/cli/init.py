import click

from congress.cli.common import App, confirm, pass_app


@click.command("init")
@click.option("--sample", is_flag=True, help="Nạp dữ liệu mẫu Hải Phòng (tên tổ chức cơ sở là minh họa).")
@click.option("--force", is_flag=True,
              help="Xóa cơ sở dữ liệu đã có, cùng toàn bộ lịch sử, và tạo lại (SQLite: sao lưu trước).")
@click.option("--yes", is_flag=True, help="Không hỏi lại khi --force.")
@pass_app
def init(app: App, sample: bool, force: bool, yes: bool) -> None:
    """Tạo cơ sở dữ liệu mới (nhiệm kỳ 2025-2030)."""
    from congress.application import database

    if force:
        _before_wiping(app.db, yes)
    database.initialise(app.db, sample=sample, force=force)
    what = "dữ liệu mẫu Hải Phòng" if sample else "sổ theo dõi trống"
    click.echo(f"Đã tạo {database.shown(app.db)} ({what}).")


def _before_wiping(location: str, yes: bool) -> None:
    """A register and its history are wiped only after a yes, and on SQLite only once a copy is
    written beside it (the online backup `congress backup` takes); a server's copy is pg_dump's job."""
    import datetime as dt

    from congress.application import database
    from congress.domain.errors import CongressError

    held = database.held_by(location)
    if held == "postgresql":
        if not yes:
            raise CongressError(
                f"--force xóa mọi dữ liệu và lịch sử trong {database.shown(location)}. Sao lưu trước: "
                f"{database.pg_dump_command(location, 'truoc-init.dump')}; rồi chạy lại với --force --yes."
            )
        return
    if held is None:
        return
    if not yes:
        confirm(f"Xóa {database.shown(location)} cùng toàn bộ lịch sử rồi tạo lại? (sao lưu trước khi xóa)")
    copy_path, copy = database.copy_before_init(location, dt.datetime.now())
    click.echo(f"Đã sao lưu {location} vào {copy_path} ({copy}).")
