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


TRIES = 3  # as passwd(1): a clerk who mistypes is asked again, a script that loops is not


def _password(from_stdin: bool) -> str:
    """Asked twice, hidden, and again after a short or mismatched one; or the first line of stdin,
    for scripts. When the input ends (or Ctrl-C) the last reason is the refusal."""
    import sys

    from congress.application.accounts import check_password
    from congress.domain.errors import CongressError

    if from_stdin:
        line = sys.stdin.readline()
        return check_password(line[:-1] if line.endswith("\n") else line)
    reason = None
    for tried in range(1, TRIES + 1):
        try:
            first = click.prompt("Mật khẩu", hide_input=True, err=True)
            check_password(first)
            if click.prompt("Nhập lại mật khẩu", hide_input=True, err=True) == first:
                return first
            reason = "Hai lần nhập mật khẩu không khớp."
        except CongressError as refusal:
            reason = str(refusal)
        except click.Abort:
            raise CongressError(f"{reason} Không có gì thay đổi." if reason else "Đã dừng; không có gì thay đổi.") from None
        if tried < TRIES:
            click.echo(f"{reason} Hãy nhập lại.", err=True)
    raise CongressError(f"{reason} Đã thử {TRIES} lần; không có gì thay đổi.")


@user.command("add")
@click.argument("name", metavar="TÊN")
@click.option("--group", type=GROUP_NUMBER, metavar="SỐ", shell_complete=complete_group,
              help="Tổ công tác của tài khoản; bỏ trống là tài khoản của văn phòng.")
@_password_option
@pass_app
def user_add(app: App, name: str, group, password_stdin: bool) -> None:
    """Tạo tài khoản: của văn phòng, hoặc của một tổ công tác (--group)."""
    from congress.application import accounts

    accounts.refuse_new(app.db, name, group)  # refused before the password is asked
    accounts.add(app.db, name, group, _password(password_stdin))
    who = f"tổ công tác số {group}" if group is not None else "văn phòng"
    click.echo(f"Đã tạo tài khoản {name} ({who}).")


@user.command("passwd")
@click.argument("name", metavar="TÊN")
@_password_option
@pass_app
def user_passwd(app: App, name: str, password_stdin: bool) -> None:
    """Đặt mật khẩu mới (cũng cho mọi máy đang phải chờ vì đăng nhập sai được thử lại ngay)."""
    from congress.application import accounts

    accounts.refuse_unknown(app.db, name)
    accounts.set_password(app.db, name, _password(password_stdin))
    click.echo(f"Đã đổi mật khẩu của {name}; các phiên đăng nhập của tài khoản này đã kết thúc.")


@user.command("remove")
@click.argument("name", metavar="TÊN")
@pass_app
def user_remove(app: App, name: str) -> None:
    """Xóa tài khoản; các phiên đăng nhập của nó kết thúc ngay."""
    from congress.application import accounts

    accounts.remove(app.db, name)
    click.echo(f"Đã xóa tài khoản {name}.")


@user.command("list")
@pass_app
def user_list(app: App) -> None:
    """Các tài khoản, tổ công tác và những máy đang phải chờ vì đăng nhập sai nhiều lần."""
    import datetime as dt

    from congress.application import accounts
    from congress.domain import vn
    from congress.presentation.sinks import Column, render

    rows = [
        {"name": a.name, "group": a.working_group,
         "locked": "; ".join(f"{address or 'không rõ địa chỉ'} chờ đến {vn.moment(until)}" for address, until in a.waiting)}
        for a in accounts.listed(app.db, dt.datetime.now(dt.timezone.utc))
    ]
    columns = [Column("name", "Tài khoản"), Column("group", "Tổ", str, "right"), Column("locked", "Tình trạng")]
    echo(render([r | {"group": r["group"] if r["group"] is not None else "văn phòng"} for r in rows], columns,
                "table", empty="Chưa có tài khoản nào; tạo bằng «congress user add TÊN»."))
