import click

from congress.application import reads
from congress.cli.common import App, as_json, pass_app, view_options
from congress.domain.errors import CongressError
from congress.presentation.views import describe_round


@click.group("round")
def round_() -> None:
    """Nhiệm kỳ: mốc mục tiêu, hạn chót, hạn đại hội điểm."""


@round_.command("show")
@view_options
def round_show(app: App, as_of, fmt) -> None:
    """Các mốc thời gian của nhiệm kỳ hiện tại."""
    facts = reads.round_facts(app.db, today=app.today, as_of=as_of)
    click.echo(as_json(facts) if fmt == "json" else describe_round(facts))


@round_.command("set")
@click.option("--target", metavar="NGÀY", help="Mốc mục tiêu (hoàn thành trước ngày).")
@click.option("--deadline", metavar="NGÀY", help="Hạn chót (chậm nhất ngày).")
@click.option("--pilot-deadline", metavar="NGÀY", help="Hạn hoàn thành đại hội điểm.")
@click.option("--level", type=click.Choice(["city", "committee", "grassroots"]), help="Chỉ đặt riêng cho một cấp.")
@pass_app
def round_set(app: App, target, deadline, pilot_deadline, level) -> None:
    """Đặt lại các mốc thời gian (cả nhiệm kỳ, hoặc riêng một cấp với --level)."""
    from congress.application import rounds  # a write: only this command pays for the register's import

    if not (target or deadline or pilot_deadline):
        raise CongressError("Cần ít nhất một trong --target, --deadline, --pilot-deadline.")
    done = rounds.set_round(app.db, today=app.today, target=target, deadline=deadline, pilot_deadline=pilot_deadline,
                            level=level)
    click.echo(("Đã cập nhật." if done.changed else "Không có gì thay đổi.") + "\n\n" + describe_round(done.facts))
