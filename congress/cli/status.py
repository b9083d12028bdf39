import click

from congress.cli.common import App, as_of_option, echo, format_option, pass_app, scope_for


@click.command("status")
@as_of_option
@click.option("--overdue", "listing", flag_value="overdue", help="Danh sách quá hạn.")
@click.option("--at-risk", "listing", flag_value="at_risk", help="Danh sách có nguy cơ chậm.")
@click.option("--upcoming", type=click.IntRange(min=0), metavar="SỐ_NGÀY", help="Danh sách dự kiến trong số ngày tới.")
@click.option("--group", type=int, metavar="SỐ", help="Chỉ các tổ chức do tổ công tác này phụ trách.")
@click.option("--committee", metavar="TỔ_CHỨC", help="Chỉ đảng bộ trực thuộc này và các tổ chức cơ sở của nó.")
@click.option("--level", type=click.Choice(["city", "committee", "grassroots"]), help="Chỉ một cấp.")
@format_option
@pass_app
def status(app: App, as_of, listing, upcoming, group, committee, level, fmt) -> None:
    """Tiến độ chung, hoặc danh sách quá hạn / có nguy cơ / sắp tổ chức."""
    from congress.errors import CongressError
    from congress.queries import Register

    if listing and upcoming is not None:
        raise CongressError("Chỉ chọn một trong --overdue, --at-risk, --upcoming.")
    with app.session() as session:
        register = Register(session, app.as_of(session, as_of), scope_for(session, level, group, committee))
        if upcoming is not None:
            echo(_listing(register.upcoming(upcoming), fmt, f"Không có đại hội nào dự kiến trong {upcoming} ngày tới."))
        elif listing == "overdue":
            echo(_listing(register.overdue(), fmt, "Không có tổ chức nào quá hạn."))
        elif listing == "at_risk":
            echo(_listing(register.at_risk(), fmt, "Không có tổ chức nào có nguy cơ chậm."))
        else:
            from congress.summary import render_summary

            echo(render_summary(session, register, fmt))


def _listing(pending, fmt: str, empty: str) -> str:
    from congress import vn
    from congress.output import render

    rows = listing_rows(pending)
    text = render(rows, listing_columns(fmt), fmt, empty=empty)
    if fmt == "table" and rows:
        text += f"\n\nTổng: {vn.number(len(rows))} tổ chức."
    return text


def listing_rows(pending) -> list[dict]:
    """Organisations not yet held, with their standing: these listings and `congress export status|overdue`."""
    from congress import vn

    return [
        {
            "code": p.code,
            "name": p.name,
            "level": p.level,
            "committee": p.committee_code,
            "working_group": p.working_group,
            "planned_on": p.planned_on,
            "standing": p.assessment.standing.value,
            "reason": p.assessment.reason.value if p.assessment.reason else None,
            "reason_text": vn.REASON_LABELS[p.assessment.reason] if p.assessment.reason else
            vn.STANDING_LABELS[p.assessment.standing],
            "days_overdue": p.assessment.days_overdue,
        }
        for p in pending
    ]


def listing_columns(fmt: str):
    from congress.output import Column, date_column

    columns = [
        Column("code", "Mã"),
        Column("name", "Tên tổ chức"),
        Column("committee", "Đảng bộ trực thuộc"),
        Column("working_group", "Tổ", str, "right"),
        date_column("planned_on", "Ngày dự kiến"),
        Column("reason_text", "Lý do"),
        Column("days_overdue", "Số ngày quá hạn", str, "right"),
    ]
    if fmt == "json":
        columns[5:6] = [Column("standing", ""), Column("reason", ""), Column("reason_text", "")]
    return columns
