import click

from congress.cli.common import App, pass_app


@click.group("db")
def db() -> None:
    """Cơ sở dữ liệu: cập nhật cấu trúc, phân quyền tổ công tác (PostgreSQL)."""


@db.command("upgrade")
@pass_app
def db_upgrade(app: App) -> None:
    """Đưa cơ sở dữ liệu lên cấu trúc mới nhất; dữ liệu được giữ nguyên."""
    from congress import migrate
    from congress.db import open_database

    engine = open_database(app.db, write=True, check_schema=False)
    try:
        before, after = migrate.upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({after}).")
    else:
        click.echo(f"Đã cập nhật cơ sở dữ liệu: {before or 'chưa có phiên bản'} → {after}.")


COMMANDS = [db]
