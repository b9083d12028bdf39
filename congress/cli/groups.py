import click

from congress.application import reads
from congress.cli.common import (
    GROUP_NUMBER, App, complete_group, complete_organisation, echo, listing_options, pass_app,
)
from congress.domain import vn
from congress.presentation.listings import NO_COMMITTEES, NO_GROUPS, committee_columns, group_columns
from congress.presentation.results import BY_LEVEL, compact_columns
from congress.presentation.sinks import render


@click.group("group")
def group() -> None:
    """Tổ công tác chỉ đạo đại hội."""


@group.command("list")
@listing_options
def group_list(app: App, as_of, fmt) -> None:
    """Các tổ công tác và tiến độ các đảng bộ được giao."""
    echo(render(reads.groups(app.db, today=app.today, as_of=as_of), group_columns(), fmt, empty=NO_GROUPS))


@group.command("show")
@click.argument("number", type=GROUP_NUMBER, metavar="SỐ", shell_complete=complete_group)
@listing_options
def group_show(app: App, number: int, as_of, fmt) -> None:
    """Một tổ công tác: các đảng bộ được giao và tiến độ từng đảng bộ."""
    found = reads.group(app.db, number, today=app.today, as_of=as_of)
    if fmt == "table":
        leader = f" — tổ trưởng: {found.leader}" if found.leader else ""
        click.echo(f"{vn.group_title(found.number, found.name)}{leader}\n")
    echo(render(found.committees, committee_columns(), fmt, empty=NO_COMMITTEES))
    if fmt == "table" and found.results:
        click.echo(f"\nKết quả đại hội tính đến {vn.day(found.as_of)}"
                   f" (đủ các chỉ tiêu: «congress status --results --group {found.number}»):")
        echo(render(found.results, compact_columns(BY_LEVEL), "table"))


@group.command("add")
@click.argument("number", type=GROUP_NUMBER, metavar="SỐ", shell_complete=complete_group)
@click.argument("name", metavar="TÊN")
@click.option("--leader", metavar="HỌ_TÊN", help="Tổ trưởng.")
@pass_app
def group_add(app: App, number: int, name: str, leader) -> None:
    """Lập một tổ công tác mới."""
    from congress.application import rounds  # a write: only this command pays for the register's import

    number, name = rounds.add_group(app.db, number, name, leader)
    click.echo(f"Đã lập tổ công tác số {number}: {name}.")


@group.command("assign")
@click.argument("number", type=GROUP_NUMBER, metavar="SỐ", shell_complete=complete_group)
@click.argument("committees", nargs=-1, required=True, metavar="ĐẢNG_BỘ...", shell_complete=complete_organisation)
@pass_app
def group_assign(app: App, number: int, committees) -> None:
    """Giao các đảng bộ trực thuộc cho một tổ công tác."""
    from congress.application import rounds  # a write: only this command pays for the register's import

    done = rounds.assign_group(app.db, number, list(committees))
    click.echo(f"Đã giao {done.changed} đảng bộ cho tổ công tác số {done.group}" + (
        f" ({done.asked - done.changed} đảng bộ đã thuộc tổ này)." if done.changed < done.asked else "."
    ))
