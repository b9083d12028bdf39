import click

from congress.application import reads
from congress.domain.errors import CongressError
from congress.domain.rules import Standing
from congress.presentation.listings import PREPARATION, UPCOMING, render_listing
from congress.presentation.results import render_results
from congress.presentation.summary import render_summary
from congress.cli.common import (
    GROUP_NUMBER, App, Bounded, as_of_option, as_recorded_option, complete_group, complete_organisation, echo, format_option, pass_app,
)

# where the summary's counts are listed, in the command line's words
_SEE = {
    Standing.OVERDUE: "congress status --overdue",
    Standing.BEHIND_TARGET: "congress status --late",
    Standing.AT_RISK: "congress status --at-risk",
    PREPARATION: "congress status --preparation",
}


@click.command("status")
@as_of_option
@as_recorded_option
@click.option("--overdue", "listing", flag_value="overdue", help="Danh sách quá hạn.")
@click.option("--late", "listing", flag_value="late", help="Danh sách chậm so với mục tiêu: đã qua mốc mục tiêu, chưa đến hạn chót.")
@click.option("--at-risk", "listing", flag_value="at_risk", help="Danh sách có nguy cơ chậm.")
@click.option("--preparation", "listing", flag_value=PREPARATION,
              help="Danh sách chậm chuẩn bị: chưa đại hội, đã đến hạn một bước chuẩn bị mà bước đó chưa xong.")
@click.option("--results", is_flag=True, help="Kết quả các đại hội đã tổ chức, theo cấp và theo tổ công tác.")
@click.option("--upcoming", type=Bounded(1, 3660), metavar="SỐ_NGÀY",
              help="Danh sách dự kiến trong số ngày tới, kể cả ngày --as-of (7: hôm nay và 6 ngày sau).")
@click.option("--group", type=GROUP_NUMBER, metavar="SỐ", help="Chỉ các tổ chức do tổ công tác này phụ trách.",
              shell_complete=complete_group)
@click.option("--committee", metavar="TỔ_CHỨC", help="Chỉ đảng bộ trực thuộc này và các tổ chức cơ sở của nó.",
              shell_complete=complete_organisation)
@click.option("--level", type=click.Choice(["city", "committee", "grassroots"]), help="Chỉ một cấp.")
@format_option
@pass_app
def status(app: App, as_of, as_recorded, listing, results, upcoming, group, committee, level, fmt) -> None:
    """Tiến độ chung, danh sách quá hạn / chậm / có nguy cơ / sắp tổ chức / chậm chuẩn bị, hoặc kết quả đại hội."""
    if sum((bool(listing), upcoming is not None, results)) > 1:
        raise CongressError("Chỉ chọn một trong --overdue, --late, --at-risk, --preparation, --upcoming, --results.")
    asked = dict(today=app.today, as_of=as_of, level=level, group=group, committee=committee, as_recorded=as_recorded)
    if results:
        echo(render_results(reads.results(app.db, **asked), fmt))
    elif upcoming is not None:
        echo(render_listing(reads.listing(app.db, UPCOMING, days=upcoming, **asked), fmt))
    elif listing:
        echo(render_listing(reads.listing(app.db, listing, **asked), fmt))
    else:
        echo(render_summary(reads.status(app.db, **asked), fmt, see=_SEE))
