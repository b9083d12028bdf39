import click

from congress.application import reads
from congress.cli.common import App, Bounded, as_json, echo, format_option, pass_app, view_options
from congress.domain.errors import CongressError
from congress.presentation.views import describe_round


@click.group("round")
def round_() -> None:
    """Nhiệm kỳ: các đợt đại hội trong sổ, mốc mục tiêu, hạn chót, hạn đại hội điểm."""


@round_.command("show")
@view_options
def round_show(app: App, as_of, fmt) -> None:
    """Các mốc thời gian của nhiệm kỳ hiện tại."""
    facts = reads.round_facts(app.db, today=app.today, as_of=as_of)
    click.echo(as_json(facts) if fmt == "json" else describe_round(facts))


@round_.command("list")
@click.option("--as-of", "as_of", metavar="NGÀY", help="Tính đến ngày này (mặc định hôm nay).")
@format_option
@pass_app
def round_list(app: App, as_of, fmt) -> None:
    """Các nhiệm kỳ trong sổ: loại đại hội, hạn, tình trạng, số đã đại hội."""
    from congress.presentation.listings import round_columns, round_rows
    from congress.presentation.sinks import render

    echo(render(round_rows(reads.round_list(app.db, today=app.today, as_of=as_of)), round_columns(fmt), fmt))


@round_.command("add")
@click.argument("name", metavar="TÊN")
@click.option("--kind", required=True, metavar="LOẠI", help="Loại đại hội, như dang, mttq, doan-thanh-nien "
              "(xem «congress round kinds»).")
@click.option("--term", required=True, metavar="NHIỆM_KỲ", help="Nhiệm kỳ, như 2025-2030.")
@click.option("--start", required=True, metavar="NGÀY", help="Ngày bắt đầu (không đại hội nào trước ngày này).")
@click.option("--target", required=True, metavar="NGÀY", help="Mốc mục tiêu (hoàn thành trước ngày).")
@click.option("--deadline", required=True, metavar="NGÀY", help="Hạn chót (chậm nhất ngày).")
@click.option("--pilot-deadline", metavar="NGÀY", help="Hạn hoàn thành đại hội điểm.")
@pass_app
def round_add(app: App, name, kind, term, start, target, deadline, pilot_deadline) -> None:
    """Thêm một nhiệm kỳ (một đợt đại hội) vào sổ; các nhiệm kỳ khác giữ nguyên."""
    from congress.application import rounds

    added = rounds.add_round(app.db, today=app.today, name=name, kind=kind, term=term, start=start, target=target,
                             deadline=deadline, pilot_deadline=pilot_deadline)
    click.echo(f"Đã thêm nhiệm kỳ «{added}». Xem và ghi cho nhiệm kỳ này với --round «{added}».")


@round_.command("kinds")
@format_option
@pass_app
def round_kinds(app: App, fmt) -> None:
    """Các loại đại hội sổ biết: mã, tên, chữ trên tiêu đề báo cáo, các cấp."""
    from congress.application import rounds
    from congress.presentation.listings import kind_columns
    from congress.presentation.sinks import render

    echo(render(rounds.kinds(app.db), kind_columns(fmt), fmt))


@round_.command("kind")
@click.argument("code", metavar="MÃ")
@click.argument("name", metavar="TÊN")
@click.option("--title", required=True, metavar="CHỮ", help="Chữ trên tiêu đề báo cáo, như «Hội Người cao tuổi các cấp».")
@pass_app
def round_kind(app: App, code, name, title) -> None:
    """Thêm một loại đại hội (chỉ văn phòng); cây tổ chức ba cấp, như các đoàn thể."""
    from congress.application import rounds

    rounds.add_kind(app.db, code, name, title)
    click.echo(f"Đã thêm loại đại hội «{code}» ({name}).")


@round_.command("close")
@click.argument("name", metavar="TÊN")
@pass_app
def round_close(app: App, name) -> None:
    """Khóa một nhiệm kỳ đã xong: từ đó chỉ xem, không ghi (chỉ văn phòng)."""
    from congress.application import rounds

    click.echo(rounds.close_round(app.db, name))


@round_.command("open")
@click.argument("name", metavar="TÊN")
@pass_app
def round_open(app: App, name) -> None:
    """Mở lại một nhiệm kỳ đã khóa để sửa (chỉ văn phòng)."""
    from congress.application import rounds

    click.echo(rounds.close_round(app.db, name, closed=False))


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


@round_.command("steps")
@format_option
@pass_app
def round_steps(app: App, fmt) -> None:
    """Các bước chuẩn bị đại hội của nhiệm kỳ, theo thứ tự."""
    from congress.application import rounds
    from congress.presentation.listings import NO_STEPS, step_columns
    from congress.presentation.sinks import render

    echo(render([row._asdict() for row in rounds.steps(app.db)], step_columns(), fmt, empty=NO_STEPS))


@round_.command("step")
@click.argument("code", metavar="MÃ")
@click.argument("name", metavar="TÊN", required=False)
@click.option("--days-before", type=Bounded(0, 365), metavar="SỐ_NGÀY",
              help="Phải xong trước ngày đại hội bao nhiêu ngày.")
@click.option("--retire", is_flag=True, help="Ngừng dùng bước này (các ngày đã ghi vẫn giữ).")
@click.option("--remove", is_flag=True, help="Xóa bước thêm nhầm (chỉ khi chưa đại hội nào ghi).")
@pass_app
def round_step(app: App, code, name, days_before, retire, remove) -> None:
    """Thêm, đổi tên, đổi số ngày, ngừng dùng hoặc xóa một bước chuẩn bị."""
    from congress.application import rounds

    if retire and remove:
        raise CongressError("Chỉ chọn một trong --retire, --remove.")
    if (retire or remove) and (name is not None or days_before is not None):
        raise CongressError("--retire và --remove không đi cùng tên hay --days-before.")
    if retire:
        click.echo(rounds.retire_step(app.db, code))
    elif remove:
        click.echo(rounds.remove_step(app.db, code))
    else:
        if name is None and days_before is None:
            raise CongressError("Cần tên bước hoặc --days-before.")
        click.echo(rounds.set_step(app.db, code, name, days_before))
