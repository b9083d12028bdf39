"""Recording congresses: schedule, log, unlog; and reading them back: pilots, history."""
import click

from congress.cli.common import (
    App, as_of_option, echo, format_option, group_option, organisation_argument, pass_app,
)


@click.command("schedule")
@click.argument("organisation", metavar="TỔ_CHỨC")
@click.argument("when", metavar="NGÀY")
@click.option("--note", help="Ghi chú.")
@click.option("--pilot/--not-pilot", default=None, help="Đánh dấu (hoặc bỏ dấu) đại hội điểm.")
@group_option("Tổ công tác đang ghi (hoặc biến CONGRESS_GROUP).")
@click.option("--force", is_flag=True, help="Ghi cả cho tổ chức ngoài phạm vi của tổ.")
@pass_app
def schedule(app: App, organisation, when, note, pilot, group, force) -> None:
    """Ghi ngày dự kiến tổ chức đại hội."""
    from congress import register, vn

    with app.session(write=True) as session:
        org = register.find_organisation(session, organisation)
        planned_on = app.date(session, when)
        register.schedule(session, register.Actor.current(group), org, planned_on, note=note, pilot=pilot, force=force)
        done = f"Đã ghi: {org.name} ({org.code}) dự kiến đại hội ngày {vn.day(planned_on)}."
    click.echo(done)  # only once the change is committed


@click.command("log")
@organisation_argument()
@click.option("--held", metavar="NGÀY", default="today", show_default="hôm nay", help="Ngày tổ chức đại hội.")
@group_option("Tổ công tác đang ghi (hoặc biến CONGRESS_GROUP); tổ chức ngoài phạm vi của tổ bị từ chối.")
@click.option("--note", help="Ghi chú.")
@click.option("--force", is_flag=True, help="Ghi đè ngày đã ghi, hoặc ghi cho tổ chức ngoài phạm vi của tổ.")
@pass_app
def log(app: App, organisation, held, group, note, force) -> None:
    """Ghi nhận một đại hội đã tổ chức."""
    from congress import register, vn

    with app.session(write=True) as session:
        org = register.find_organisation(session, organisation)
        held_on = app.date(session, held)
        register.log(session, register.Actor.current(group), org, held_on, today=app.today, note=note, force=force)
        done = f"Đã ghi nhận: {org.name} ({org.code}) tổ chức đại hội ngày {vn.day(held_on)}."
    click.echo(done)  # only once the change is committed


@click.command("unlog")
@organisation_argument()
@click.option("--reason", required=True, help="Lý do rút lại (được lưu trong lịch sử).")
@group_option("Tổ công tác đang ghi (hoặc biến CONGRESS_GROUP).")
@click.option("--force", is_flag=True, help="Rút lại cả cho tổ chức ngoài phạm vi của tổ.")
@pass_app
def unlog(app: App, organisation, reason, group, force) -> None:
    """Rút lại một lần ghi nhận nhầm; lịch sử giữ cả hai."""
    from congress import register, vn

    with app.session(write=True) as session:
        org = register.find_organisation(session, organisation)
        congress = register.congress_of(session, register.current_round(session), org)
        was = congress.held_on
        register.unlog(session, register.Actor.current(group), org, reason=reason, force=force)
        done = f"Đã rút lại ghi nhận đại hội ngày {vn.day(was)} của {org.name} ({org.code})."
    click.echo(done)  # only once the change is committed


@click.command("pilots")
@as_of_option
@format_option
@pass_app
def pilots(app: App, as_of, fmt) -> None:
    """Các đại hội điểm và tình trạng."""
    from congress.output import render
    from congress.queries import Register

    with app.session() as session:
        rows = [pilot_row(p) for p in Register(session, app.as_of(session, as_of)).pilots()]
    echo(render(rows, pilot_columns(), fmt, empty="Chưa có đại hội điểm nào."))


def pilot_row(pilot) -> dict:
    from congress.views import describe_standing

    return vars(pilot) | {"standing": pilot.assessment.standing.value, "standing_text": describe_standing(pilot.assessment)}


def pilot_columns():
    from congress.output import Column, date_column

    return [
        Column("code", "Mã"),
        Column("name", "Tên"),
        date_column("planned_on", "Ngày dự kiến"),
        date_column("held_on", "Ngày tổ chức"),
        Column("standing_text", "Tình trạng"),
    ]


@click.command("history")
@organisation_argument(required=False)
@click.option("--since", metavar="NGÀY", help="Chỉ các thay đổi từ ngày này.")
# no CONGRESS_GROUP here: a group's shell would otherwise hide everyone else's changes without saying so
@click.option("--group", type=int, metavar="SỐ", help="Chỉ các thay đổi do tổ công tác này ghi.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Số dòng mới nhất.")
@format_option
@pass_app
def history(app: App, organisation, since, group, limit, fmt) -> None:
    """Lịch sử thay đổi (mới nhất trước)."""
    from congress.output import render
    from congress.queries import history as changes
    from congress.register import find_group, find_organisation

    with app.session() as session:
        org = find_organisation(session, organisation) if organisation else None
        since_on = app.date(session, since) if since else None
        if group is not None:
            find_group(session, group)
        rows = history_rows(changes(session, org.id if org else None, limit, since=since_on, group=group))
    echo(render(rows, history_columns(), fmt, empty="Chưa có thay đổi nào."))


def history_rows(changes) -> list[dict]:
    keys = ("at", "user", "working_group", "code", "action", "field", "old_value", "new_value", "note")
    return [dict(zip(keys, row)) for row in changes]


def history_columns():
    """`congress history` and `congress export history`."""
    from congress import vn
    from congress.output import Column

    return [
        Column("at", "Thời điểm", vn.moment),
        Column("user", "Người ghi"),
        Column("working_group", "Tổ", str, "right"),
        Column("code", "Mã"),
        Column("action", "Việc", lambda a: vn.ACTION_LABELS.get(a, a)),
        Column("field", "Mục", lambda f: vn.FIELD_LABELS.get(f, f)),
        Column("old_value", "Cũ", vn.stored_value),
        Column("new_value", "Mới", vn.stored_value),
        Column("note", "Ghi chú"),
    ]
