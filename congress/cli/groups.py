import click

from congress.cli.common import (
    GROUP_NUMBER, App, as_of_option, complete_group, complete_organisation, echo, format_option, pass_app,
)


@click.group("group")
def group() -> None:
    """Tổ công tác chỉ đạo đại hội."""


@group.command("list")
@as_of_option
@format_option
@pass_app
def group_list(app: App, as_of, fmt) -> None:
    """Các tổ công tác và tiến độ các đảng bộ được giao."""
    from congress.presentation.listings import group_columns, group_rows
    from congress.presentation.sinks import render
    from congress.read.progress import Progress

    with app.store() as store:
        rows = group_rows(Progress(store, app.as_of(store, as_of), today=app.today).groups())
    echo(render(rows, group_columns(), fmt, empty="Chưa có tổ công tác nào."))


@group.command("show")
@click.argument("number", type=GROUP_NUMBER, metavar="SỐ", shell_complete=complete_group)
@as_of_option
@format_option
@pass_app
def group_show(app: App, number: int, as_of, fmt) -> None:
    """Một tổ công tác: các đảng bộ được giao và tiến độ từng đảng bộ."""
    from congress.domain import vn
    from congress.presentation.listings import committee_columns, committee_rows
    from congress.read.lookups import find_group
    from congress.presentation.sinks import render
    from congress.read.progress import Progress, Scope

    with app.store() as store:
        found = find_group(store, number)
        rows = committee_rows(Progress(store, app.as_of(store, as_of), Scope(group=number), today=app.today).committees())
    if fmt == "table":
        leader = f" — tổ trưởng: {found.leader}" if found.leader else ""
        click.echo(f"{vn.group_title(found.number, found.name)}{leader}\n")
    echo(render(rows, committee_columns(), fmt, empty="Tổ này chưa được giao đảng bộ nào."))


@group.command("add")
@click.argument("number", type=GROUP_NUMBER, metavar="SỐ", shell_complete=complete_group)
@click.argument("name", metavar="TÊN")
@click.option("--leader", metavar="HỌ_TÊN", help="Tổ trưởng.")
@pass_app
def group_add(app: App, number: int, name: str, leader) -> None:
    """Lập một tổ công tác mới."""
    from congress.store.sql import Store
    from congress.writes.register import Actor, add_group

    with app.session(write=True) as session:
        created = add_group(Store.of_session(session), Actor.current(), number, name, leader)
        done = f"Đã lập tổ công tác số {created.number}: {created.name}."
    click.echo(done)  # only once the change is committed


@group.command("assign")
@click.argument("number", type=GROUP_NUMBER, metavar="SỐ", shell_complete=complete_group)
@click.argument("committees", nargs=-1, required=True, metavar="ĐẢNG_BỘ...", shell_complete=complete_organisation)
@pass_app
def group_assign(app: App, number: int, committees) -> None:
    """Giao các đảng bộ trực thuộc cho một tổ công tác."""
    from congress.read.lookups import find_group, find_organisation
    from congress.store.sql import Store
    from congress.writes.register import Actor, assign_group

    with app.session(write=True) as session:
        store = Store.of_session(session)
        found = find_group(store, number)
        orgs = [find_organisation(store, text) for text in committees]
        changed = assign_group(store, Actor.current(), found, orgs)
        done = f"Đã giao {changed} đảng bộ cho tổ công tác số {found.number}" + (
            f" ({len(orgs) - changed} đảng bộ đã thuộc tổ này)." if changed < len(orgs) else "."
        )
    click.echo(done)  # only once the change is committed
