"""`congress user`: the accounts that sign in to `congress serve` on SQLite."""
import click

from congress.cli.common import GROUP_NUMBER, App, complete_group, echo, pass_app


@click.group("user")
def user() -> None:
    """Tài khoản đăng nhập trên trình duyệt (congress serve, SQLite).

    Với PostgreSQL, tài khoản đăng nhập là tài khoản của máy chủ (createuser, rồi congress db grant-group).
    """


def _password_option(f):
    return click.option(
        "--password-stdin", is_flag=True,
        help="Đọc mật khẩu từ dòng đầu của đầu vào chuẩn (cho tập lệnh) thay vì hỏi.",
    )(f)


def _password(from_stdin: bool) -> str:
    """Asked twice, hidden; or the first line of stdin, for scripts."""
    import sys

    from congress.accounts import check_password
    from congress.errors import CongressError

    if from_stdin:
        line = sys.stdin.readline()
        return check_password(line[:-1] if line.endswith("\n") else line)
    try:
        first = click.prompt("Mật khẩu", hide_input=True, err=True)
        check_password(first)
        second = click.prompt("Nhập lại mật khẩu", hide_input=True, err=True)
    except click.Abort:
        raise CongressError("Đã dừng; không có gì thay đổi.") from None
    if first != second:
        raise CongressError("Hai lần nhập mật khẩu không khớp. Không có gì thay đổi.")
    return first


@user.command("add")
@click.argument("name", metavar="TÊN")
@click.option("--group", type=GROUP_NUMBER, metavar="SỐ", shell_complete=complete_group,
              help="Tổ công tác của tài khoản; bỏ trống là tài khoản của văn phòng.")
@_password_option
@pass_app
def user_add(app: App, name: str, group, password_stdin: bool) -> None:
    """Tạo tài khoản: của văn phòng, hoặc của một tổ công tác (--group)."""
    from congress import accounts

    with app.session() as session:  # refused before the password is asked
        accounts.check_name(name)
        accounts.refuse_existing(session, name, group)
    password = _password(password_stdin)
    with app.session(write=True) as session:
        accounts.add(session, name, group, password)
    who = f"tổ công tác số {group}" if group is not None else "văn phòng"
    click.echo(f"Đã tạo tài khoản {name} ({who}).")


@user.command("passwd")
@click.argument("name", metavar="TÊN")
@_password_option
@pass_app
def user_passwd(app: App, name: str, password_stdin: bool) -> None:
    """Đặt mật khẩu mới (cũng mở khóa tài khoản bị tạm khóa)."""
    from congress import accounts

    with app.session() as session:
        accounts.existing(session, name)
    password = _password(password_stdin)
    with app.session(write=True) as session:
        accounts.set_password(session, name, password)
    click.echo(f"Đã đổi mật khẩu của {name}; các phiên đăng nhập của tài khoản này đã kết thúc.")


@user.command("remove")
@click.argument("name", metavar="TÊN")
@pass_app
def user_remove(app: App, name: str) -> None:
    """Xóa tài khoản; các phiên đăng nhập của nó kết thúc ngay."""
    from congress import accounts

    with app.session(write=True) as session:
        accounts.remove(session, name)
    click.echo(f"Đã xóa tài khoản {name}.")


@user.command("list")
@pass_app
def user_list(app: App) -> None:
    """Các tài khoản, tổ công tác và tình trạng khóa."""
    import datetime as dt

    from congress import accounts, vn
    from congress.output import Column, render

    now = dt.datetime.now(dt.timezone.utc)
    with app.session() as session:
        rows = [
            {"name": a.name, "group": a.working_group,
             "locked": (f"khóa đến {vn.moment(accounts.utc(a.locked_until))}"
                        if accounts.is_locked(accounts.utc(a.locked_until), now) else "")}
            for a in accounts.listed(session)
        ]
    columns = [Column("name", "Tài khoản"), Column("group", "Tổ", str, "right"), Column("locked", "Tình trạng")]
    echo(render([r | {"group": r["group"] if r["group"] is not None else "văn phòng"} for r in rows], columns,
                "table", empty="Chưa có tài khoản nào; tạo bằng «congress user add TÊN»."))
