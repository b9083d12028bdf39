import click

from congress.cli.common import App, pass_app


@click.group("db")
def db() -> None:
    """Cơ sở dữ liệu: cập nhật cấu trúc, phân quyền tổ công tác (PostgreSQL)."""


@db.command("upgrade")
@pass_app
def db_upgrade(app: App) -> None:
    """Đưa cơ sở dữ liệu lên cấu trúc mới nhất; dữ liệu được giữ nguyên."""
    from congress.application.database import upgrade

    before, after = upgrade(app.db)
    if before == after:
        click.echo(f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({after}).")
    else:
        click.echo(f"Đã cập nhật cơ sở dữ liệu: {before or 'chưa có phiên bản'} → {after}.")


@db.command("grant-group")
@click.argument("number", type=int, metavar="SỐ_TỔ")
@click.argument("role", metavar="TÀI_KHOẢN")
@pass_app
def db_grant_group(app: App, number: int, role: str) -> None:
    """Cấp quyền cho tài khoản PostgreSQL của một tổ công tác: đọc được tất cả, chỉ ghi được đại hội
    của các tổ chức thuộc tổ mình (máy chủ cơ sở dữ liệu kiểm soát). Tài khoản do postgres tạo trước
    (createuser --pwprompt TÀI_KHOẢN); nếu chưa có, chỉ tạo được khi đang dùng tài khoản có quyền tạo."""
    from congress.application.database import grant_group

    new = grant_group(app.db, number, role)
    use = f"tổ dùng --db postgresql://{role}@MÁY_CHỦ/TÊN_CSDL."
    if new:
        click.echo(
            f"Đã tạo tài khoản {role} cho tổ công tác số {number}. Đặt mật khẩu bằng psql: \\password {role}; rồi {use}"
        )
    else:  # created by the server's administrator (createuser --pwprompt), password included
        click.echo(f"Đã cấp quyền tổ công tác số {number} cho tài khoản {role}; {use}")
