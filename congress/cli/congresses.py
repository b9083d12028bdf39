"""Recording congresses: schedule, log, unlog; and reading them back: pilots, history."""
import click

from congress.cli.common import (
    App, GROUP_NUMBER, Bounded, complete_group, complete_organisation, echo, format_option, group_option,
    listing_options, organisation_argument, pass_app,
)


@click.command("schedule")
@click.argument("organisation", metavar="TỔ_CHỨC", shell_complete=complete_organisation)
@click.argument("when", metavar="NGÀY")
@click.option("--note", metavar="GHI_CHÚ", help="Ghi chú.")
@click.option("--pilot/--not-pilot", default=None, help="Đánh dấu (hoặc bỏ dấu) đại hội điểm.")
@group_option("Tổ công tác đang ghi (hoặc biến CONGRESS_GROUP).")
@click.option("--force", is_flag=True, help="Ghi cả ngày sau hạn chót, hoặc cho tổ chức ngoài phạm vi của tổ.")
@pass_app
def schedule(app: App, organisation, when, note, pilot, group, force) -> None:
    """Ghi ngày dự kiến tổ chức đại hội."""
    from congress.application import congresses

    click.echo(congresses.schedule(app.db, congresses.Actor.current(group), organisation, when, today=app.today,
                                   note=note, pilot=pilot, force=force))


@click.command("log")
@organisation_argument()
@click.option("--held", metavar="NGÀY", default="today", show_default="hôm nay", help="Ngày tổ chức đại hội.")
@group_option("Tổ công tác đang ghi (hoặc biến CONGRESS_GROUP); tổ chức ngoài phạm vi của tổ bị từ chối.")
@click.option("--note", metavar="GHI_CHÚ", help="Ghi chú.")
@click.option(
    "--force",
    is_flag=True,
    help="Ghi đè ngày đã ghi, ghi khi cấp dưới chưa đại hội xong, hoặc ghi cho tổ chức ngoài phạm vi của tổ.",
)
@pass_app
def log(app: App, organisation, held, group, note, force) -> None:
    """Ghi nhận một đại hội đã tổ chức."""
    from congress.application import congresses

    click.echo(congresses.log(app.db, congresses.Actor.current(group), organisation, held, today=app.today,
                              note=note, force=force))


@click.command("unlog")
@organisation_argument()
@click.option("--reason", required=True, metavar="LÝ_DO", help="Lý do rút lại (được lưu trong lịch sử).")
@group_option("Tổ công tác đang ghi (hoặc biến CONGRESS_GROUP).")
@click.option("--force", is_flag=True, help="Rút lại cả cho tổ chức ngoài phạm vi của tổ.")
@pass_app
def unlog(app: App, organisation, reason, group, force) -> None:
    """Rút lại một lần ghi nhận nhầm; lịch sử giữ cả hai."""
    from congress.application import congresses

    click.echo(congresses.unlog(app.db, congresses.Actor.current(group), organisation, reason=reason, force=force))


@click.command("pilots")
@listing_options
def pilots(app: App, as_of, fmt) -> None:
    """Các đại hội điểm và tình trạng."""
    from congress.application import reads  # here, not above: log, schedule and unlog start without the read jobs
    from congress.presentation.listings import NO_PILOTS, pilot_columns
    from congress.presentation.sinks import render

    echo(render(reads.pilots(app.db, today=app.today, as_of=as_of), pilot_columns(), fmt, empty=NO_PILOTS))


@click.command("history")
@organisation_argument(required=False)
@click.option("--since", metavar="NGÀY", help="Chỉ các thay đổi từ ngày này.")
# no CONGRESS_GROUP here: a group's shell would otherwise hide everyone else's changes without saying so
@click.option("--group", type=GROUP_NUMBER, metavar="SỐ", help="Chỉ các thay đổi do tổ công tác này ghi.",
              shell_complete=complete_group)
@click.option("--limit", type=Bounded(1, 1_000_000), default=50, metavar="SỐ_DÒNG", show_default=True,
              help="Số dòng mới nhất.")
@format_option
@pass_app
def history(app: App, organisation, since, group, limit, fmt) -> None:
    """Lịch sử thay đổi (mới nhất trước)."""
    from congress.application import reads
    from congress.presentation.listings import NO_CHANGES, history_columns
    from congress.presentation.sinks import render

    found = reads.history(app.db, today=app.today, organisation=organisation, since=since, group=group, limit=limit)
    echo(render(found.rows, history_columns(fmt), fmt, empty=NO_CHANGES))


@click.command("step")
@organisation_argument()
@click.argument("code", metavar="MÃ_BƯỚC")
@click.option("--done", metavar="NGÀY", help="Ngày hoàn thành (mặc định: hôm nay).")
@click.option("--undone", is_flag=True, help="Rút lại bước đã ghi nhầm (cần --reason).")
@click.option("--reason", metavar="LÝ_DO", help="Lý do rút lại (được lưu trong lịch sử).")
@click.option("--note", metavar="GHI_CHÚ", help="Ghi chú.")
@group_option("Tổ công tác đang ghi (hoặc biến CONGRESS_GROUP).")
@click.option("--force", is_flag=True, help="Ghi cả cho tổ chức ngoài phạm vi của tổ.")
@pass_app
def step(app: App, organisation, code, done, undone, reason, note, group, force) -> None:
    """Ghi một bước chuẩn bị đại hội đã hoàn thành, hoặc rút lại."""
    from congress.application import congresses
    from congress.domain.errors import CongressError

    actor = congresses.Actor.current(group)
    if undone:
        if done is not None or note is not None:
            raise CongressError("--undone không đi cùng --done hay --note.")
        click.echo(congresses.unstep(app.db, actor, organisation, code, reason=reason, force=force))
        return
    if reason is not None:
        raise CongressError("--reason chỉ dùng cùng --undone.")
    click.echo(congresses.step(app.db, actor, organisation, code, today=app.today, done=done, note=note,
                               force=force))


_COUNT = Bounded(-1_000_000_000, 1_000_000_000)  # a negative is the register's to refuse, in its words
_CHOSEN = click.Choice(["elected", "appointed"])


@click.command("result")
@organisation_argument()
@click.option("--contents", type=click.Choice(["2", "3", "4"]), help="Số nội dung đại hội đã tiến hành.")
@click.option("--committee", "committee_members", type=_COUNT, metavar="SỐ", help="Số ủy viên ban chấp hành.")
@click.option("--committee-by", "committee_by", type=_CHOSEN, help="Ban chấp hành: bầu tại đại hội hay chỉ định.")
@click.option("--standing", "standing_members", type=_COUNT, metavar="SỐ", help="Số ủy viên ban thường vụ.")
@click.option("--secretary-by", "secretary_by", type=_CHOSEN, help="Bí thư: bầu tại đại hội hay chỉ định.")
@click.option("--delegates", type=_COUNT, metavar="SỐ", help="Số đại biểu chính thức được triệu tập.")
@click.option("--present", type=_COUNT, metavar="SỐ", help="Số đại biểu có mặt.")
@click.option("--women", type=_COUNT, metavar="SỐ", help="Số ủy viên nữ.")
@click.option("--under-40", "under_40", type=_COUNT, metavar="SỐ", help="Số ủy viên dưới 40 tuổi.")
@click.option("--ethnic", type=_COUNT, metavar="SỐ", help="Số ủy viên người dân tộc thiểu số.")
@click.option("--first-time", "first_time", type=_COUNT, metavar="SỐ", help="Số ủy viên tham gia lần đầu.")
@click.option("--delegates-up", "delegates_up", type=_COUNT, metavar="SỐ", help="Số đại biểu dự đại hội cấp trên.")
@click.option("--note", metavar="GHI_CHÚ", help="Ghi chú kết quả.")
@group_option("Tổ công tác đang ghi (hoặc biến CONGRESS_GROUP).")
@click.option("--force", is_flag=True, help="Ghi cả cho tổ chức ngoài phạm vi của tổ.")
@pass_app
def result(app: App, organisation, note, group, force, **values) -> None:
    """Ghi kết quả đại hội đã tổ chức (chỉ các số liệu, từng phần đều được)."""
    from congress.application import congresses

    if values.get("contents") is not None:
        values["contents"] = int(values["contents"])
    click.echo(congresses.result(app.db, congresses.Actor.current(group), organisation, today=app.today,
                                 values=values, note=note, force=force))
