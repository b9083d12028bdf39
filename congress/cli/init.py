import click

from congress.cli.common import App, confirm, pass_app
from congress.store.database import shown


@click.command("init")
@click.option("--sample", is_flag=True, help="Nạp dữ liệu mẫu Hải Phòng (tên tổ chức cơ sở là minh họa).")
@click.option("--force", is_flag=True,
              help="Xóa cơ sở dữ liệu đã có, cùng toàn bộ lịch sử, và tạo lại (SQLite: sao lưu trước).")
@click.option("--yes", is_flag=True, help="Không hỏi lại khi --force.")
@pass_app
def init(app: App, sample: bool, force: bool, yes: bool) -> None:
    """Tạo cơ sở dữ liệu mới (nhiệm kỳ 2025-2030)."""
    from congress.writes.new_database import initialise

    if force:
        _before_wiping(app.db, yes)
    initialise(app.db, sample=sample, force=force)
    what = "dữ liệu mẫu Hải Phòng" if sample else "sổ theo dõi trống"
    click.echo(f"Đã tạo {shown(app.db)} ({what}).")


def _before_wiping(location: str, yes: bool) -> None:
    """A register and its history are wiped only after a yes, and on SQLite only once a copy is
    written beside it (the online backup `congress backup` takes); a server's copy is pg_dump's job."""
    import datetime as dt

    from congress.domain import vn
    from congress.writes import integrity
    from congress.store.database import sqlite_path
    from congress.domain.errors import CongressError

    if integrity.backend(location) == "postgresql":
        if not yes:
            raise CongressError(
                f"--force xóa mọi dữ liệu và lịch sử trong {shown(location)}. Sao lưu trước: "
                f"{integrity.pg_dump_command(location, 'truoc-init.dump')}; rồi chạy lại với --force --yes."
            )
        return
    path = sqlite_path(location)
    if path is None or not path.is_file():
        return  # nothing to lose (create_database refuses what is not a regular file)
    if not yes:
        confirm(f"Xóa {shown(location)} cùng toàn bộ lịch sử rồi tạo lại? (sao lưu trước khi xóa)")
    copy_path = path.with_name(f"{path.name}.truoc-init-{vn.file_stamp(dt.datetime.now())}{path.suffix or '.db'}")
    copy = integrity.backup_sqlite(location, copy_path, force=False)
    click.echo(f"Đã sao lưu {location} vào {copy_path} ({integrity.describe_copy(copy)}).")
