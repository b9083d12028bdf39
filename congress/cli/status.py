import click

from congress.cli.common import (
    GROUP_NUMBER, App, Bounded, as_of_option, as_recorded_option, complete_group, complete_organisation, echo, format_option, pass_app,
    scope_for,
)

_TITLES = {
    "overdue": "Quá hạn tính đến {day}",
    "late": "Chậm so với mục tiêu tính đến {day}",
    "at_risk": "Có nguy cơ chậm tính đến {day}",
}
_EMPTY = {
    "overdue": "Không có tổ chức nào quá hạn.",
    "late": "Không có tổ chức nào chậm so với mục tiêu (đã qua mốc mục tiêu, chưa đến hạn chót).",
    "at_risk": "Không có tổ chức nào có nguy cơ chậm.",
}


@click.command("status")
@as_of_option
@as_recorded_option
@click.option("--overdue", "listing", flag_value="overdue", help="Danh sách quá hạn.")
@click.option("--late", "listing", flag_value="late", help="Danh sách chậm so với mục tiêu: đã qua mốc mục tiêu, chưa đến hạn chót.")
@click.option("--at-risk", "listing", flag_value="at_risk", help="Danh sách có nguy cơ chậm.")
@click.option("--upcoming", type=Bounded(1, 3660), metavar="SỐ_NGÀY",
              help="Danh sách dự kiến trong số ngày tới, kể cả ngày --as-of (7: hôm nay và 6 ngày sau).")
@click.option("--group", type=GROUP_NUMBER, metavar="SỐ", help="Chỉ các tổ chức do tổ công tác này phụ trách.",
              shell_complete=complete_group)
@click.option("--committee", metavar="TỔ_CHỨC", help="Chỉ đảng bộ trực thuộc này và các tổ chức cơ sở của nó.",
              shell_complete=complete_organisation)
@click.option("--level", type=click.Choice(["city", "committee", "grassroots"]), help="Chỉ một cấp.")
@format_option
@pass_app
def status(app: App, as_of, as_recorded, listing, upcoming, group, committee, level, fmt) -> None:
    """Tiến độ chung, hoặc danh sách quá hạn / chậm / có nguy cơ / sắp tổ chức."""
    from congress.domain.errors import CongressError
    from congress.read.progress import Progress

    if listing and upcoming is not None:
        raise CongressError("Chỉ chọn một trong --overdue, --late, --at-risk, --upcoming.")
    with app.store() as store:
        progress = Progress(store, app.as_of(store, as_of), scope_for(store, level, group, committee),
                            as_recorded=as_recorded, today=app.today)
        if upcoming is not None:
            echo(_listing(progress, progress.upcoming(upcoming), fmt, f"Dự kiến đại hội trong {upcoming} ngày, từ {{day}}",
                          f"Không có đại hội nào dự kiến trong {upcoming} ngày tới."))
        elif listing:
            echo(_listing(progress, progress.listing(listing), fmt, _TITLES[listing], _EMPTY[listing]))
        else:
            from congress.presentation.summary import render_summary

            echo(render_summary(store, progress, fmt))


def _listing(progress, entries, fmt: str, title: str, empty: str) -> str:
    """A table opens with what it lists, on which day, how many, and closes with the sample's mark,
    as `status` does; CSV and JSON stay bare rows."""
    from congress.domain import vn
    from congress.presentation.listings import entry_columns, entry_rows
    from congress.presentation.sinks import render

    rows = entry_rows(entries)
    text = render(rows, entry_columns(fmt), fmt, empty=empty)
    if fmt != "table":
        return text
    heading = f"{title.format(day=vn.day(progress.as_of))}: {vn.number(len(rows))} tổ chức" + (
        " (chỉ những gì đã ghi đến hết ngày này)" if progress.as_recorded else "")
    return "\n\n".join([heading, text] + ([vn.SAMPLE_MARK] if progress.sample else []))
