import click

from congress.cli.common import App, as_of_option, echo, format_option, pass_app


@click.group("group")
def group() -> None:
    """Tổ công tác chỉ đạo đại hội."""


@group.command("list")
@as_of_option
@format_option
@pass_app
def group_list(app: App, as_of, fmt) -> None:
    """Các tổ công tác và tiến độ các đảng bộ được giao."""
    from congress.output import render
    from congress.queries import Register

    with app.session() as session:
        register = Register(session, app.as_of(session, as_of))
        rows = group_rows(register.groups(register.pending()))
    echo(render(rows, group_columns(), fmt, empty="Chưa có tổ công tác nào."))


def group_rows(groups) -> list[dict]:
    from congress import vn

    return [vars(g) | {"percent": vn.percent(g.held, g.total)} for g in groups]


def group_columns():
    from congress.output import Column, number_column

    return [
        Column("number", "Tổ", str, "right"),
        Column("name", "Tên tổ", lambda v: v or "(chưa giao tổ)"),
        number_column("committees", "Đảng bộ trực thuộc"),
        number_column("committees_held", "đã ĐH"),
        number_column("grassroots", "Tổ chức cơ sở"),
        number_column("grassroots_held", "đã ĐH"),
        Column("percent", "Tỷ lệ", str, "right"),
        number_column("overdue", "Quá hạn"),
    ]


@group.command("show")
@click.argument("number", type=int, metavar="SỐ")
@as_of_option
@format_option
@pass_app
def group_show(app: App, number: int, as_of, fmt) -> None:
    """Một tổ công tác: các đảng bộ được giao và tiến độ từng đảng bộ."""
    from congress import vn
    from congress.output import Column, date_column, number_column, render
    from congress.queries import Register, Scope
    from congress.register import find_group

    with app.session() as session:
        found = find_group(session, number)
        register = Register(session, app.as_of(session, as_of), Scope(group=number))
        rows = register.committees()
    for row in rows:
        row["percent"] = vn.percent(row["grassroots_held"], row["grassroots"])
    columns = [
        Column("code", "Mã"),
        Column("name", "Đảng bộ trực thuộc"),
        date_column("planned_on", "Dự kiến ĐH"),
        date_column("held_on", "Đã ĐH ngày"),
        number_column("grassroots_held", "TCCS đã ĐH"),
        number_column("grassroots", "Tổng TCCS"),
        Column("percent", "Tỷ lệ", str, "right"),
    ]
    if fmt == "table":
        leader = f" — tổ trưởng: {found.leader}" if found.leader else ""
        click.echo(f"Tổ công tác số {found.number}: {found.name}{leader}\n")
    echo(render(rows, columns, fmt, empty="Tổ này chưa được giao đảng bộ nào."))


@group.command("add")
@click.argument("number", type=int, metavar="SỐ")
@click.argument("name", metavar="TÊN")
@click.option("--leader", metavar="HỌ_TÊN", help="Tổ trưởng.")
@pass_app
def group_add(app: App, number: int, name: str, leader) -> None:
    """Lập một tổ công tác mới."""
    from congress.register import Actor, add_group

    with app.session(write=True) as session:
        created = add_group(session, Actor.current(), number, name, leader)
        done = f"Đã lập tổ công tác số {created.number}: {created.name}."
    click.echo(done)  # only once the change is committed


@group.command("assign")
@click.argument("number", type=int, metavar="SỐ")
@click.argument("committees", nargs=-1, required=True, metavar="ĐẢNG_BỘ...")
@pass_app
def group_assign(app: App, number: int, committees) -> None:
    """Giao các đảng bộ trực thuộc cho một tổ công tác."""
    from congress.register import Actor, assign_group, find_group, find_organisation

    with app.session(write=True) as session:
        found = find_group(session, number)
        orgs = [find_organisation(session, text) for text in committees]
        changed = assign_group(session, Actor.current(), found, orgs)
        done = f"Đã giao {changed} đảng bộ cho tổ công tác số {found.number}" + (
            f" ({len(orgs) - changed} đảng bộ đã thuộc tổ này)." if changed < len(orgs) else "."
        )
    click.echo(done)  # only once the change is committed
