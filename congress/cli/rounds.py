import click

from congress.cli.common import App, as_json, as_of_option, pass_app, view_format_option


@click.group("round")
def round_() -> None:
    """Nhiệm kỳ: mốc mục tiêu, hạn chót, hạn đại hội điểm."""


@round_.command("show")
@as_of_option
@view_format_option
@pass_app
def round_show(app: App, as_of, fmt) -> None:
    """Các mốc thời gian của nhiệm kỳ hiện tại."""
    from congress.presentation.views import describe_round, round_facts

    with app.store() as store:
        facts = round_facts(store, app.as_of(store, as_of))
    click.echo(as_json(facts) if fmt == "json" else describe_round(facts))


@round_.command("set")
@click.option("--target", metavar="NGÀY", help="Mốc mục tiêu (hoàn thành trước ngày).")
@click.option("--deadline", metavar="NGÀY", help="Hạn chót (chậm nhất ngày).")
@click.option("--pilot-deadline", metavar="NGÀY", help="Hạn hoàn thành đại hội điểm.")
@click.option("--level", type=click.Choice(["city", "committee", "grassroots"]), help="Chỉ đặt riêng cho một cấp.")
@pass_app
def round_set(app: App, target, deadline, pilot_deadline, level) -> None:
    """Đặt lại các mốc thời gian (cả nhiệm kỳ, hoặc riêng một cấp với --level)."""
    from congress.domain.errors import CongressError
    from congress.writes.register import Actor, set_round
    from congress.store.sql import Store
    from congress.presentation.views import describe_round, round_facts

    if not (target or deadline or pilot_deadline):
        raise CongressError("Cần ít nhất một trong --target, --deadline, --pilot-deadline.")
    with app.session(write=True) as session:
        changed = set_round(
            Store.of_session(session),
            Actor.current(),
            target_on=app.date(session, target) if target else None,
            deadline_on=app.date(session, deadline) if deadline else None,
            pilot_deadline_on=app.date(session, pilot_deadline) if pilot_deadline else None,
            level=level,
        )
        session.flush()
        done = ("Đã cập nhật." if changed else "Không có gì thay đổi.") + "\n\n" + describe_round(
            round_facts(Store.of_session(session), app.today))
    click.echo(done)  # only once the change is committed
