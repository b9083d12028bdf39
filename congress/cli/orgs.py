import click

from congress.application import reads
from congress.cli.common import (
    GROUP_NUMBER, App, Bounded, as_json, as_of_option, as_recorded_option, complete_group, complete_organisation, echo,
    format_option, organisation_argument, pass_app, view_format_option,
)
from congress.domain.rules import MAX_COUNT
from congress.presentation.listings import organisation_columns
from congress.presentation.sinks import render
from congress.presentation.views import describe_organisation


@click.group("org")
def org() -> None:
    """Tổ chức đảng: xem, thêm, sửa."""


@org.command("list")
@click.option("--level", type=click.Choice(["city", "committee", "grassroots"]), help="Chỉ một cấp.")
@click.option("--committee", metavar="TỔ_CHỨC", help="Chỉ đảng bộ trực thuộc này và các tổ chức cơ sở của nó.",
              shell_complete=complete_organisation)
@click.option("--group", type=GROUP_NUMBER, metavar="SỐ", help="Chỉ các tổ chức do tổ công tác này phụ trách.",
              shell_complete=complete_group)
@click.option("--search", metavar="CHỮ", help="Tên có chứa (không cần dấu).")
@format_option
@pass_app
def org_list(app: App, level, committee, group, search, fmt) -> None:
    """Danh sách tổ chức."""
    found = reads.organisations(app.db, today=app.today, level=level, group=group, committee=committee, search=search)
    echo(render(found.rows, organisation_columns(), fmt, empty=found.empty))


@org.command("show")
@organisation_argument()
@as_of_option
@as_recorded_option
@view_format_option
@pass_app
def org_show(app: App, organisation: str, as_of, as_recorded, fmt) -> None:
    """Thông tin một tổ chức và đại hội của nó."""
    facts = reads.organisation(app.db, organisation, today=app.today, as_of=as_of, as_recorded=as_recorded).facts
    echo(as_json(facts) if fmt == "json" else describe_organisation(facts))


@org.command("add")
@click.argument("code", metavar="MÃ")
@click.argument("name", metavar="TÊN")
@click.option("--level", required=True, type=click.Choice(["city", "committee", "grassroots"]), help="Cấp.")
@click.option("--kind", required=True, metavar="LOẠI", help="Loại: phường, xã, đặc khu, chi bộ cơ sở, đảng bộ cơ sở…")
@click.option("--parent", metavar="TỔ_CHỨC", help="Tổ chức cấp trên (bắt buộc, trừ cấp city).")
@click.option("--members", type=Bounded(0, MAX_COUNT), metavar="SỐ", help="Số đảng viên.")
@pass_app
def org_add(app: App, code, name, level, kind, parent, members) -> None:
    """Thêm một tổ chức."""
    from congress.application import congresses

    click.echo(congresses.add_organisation(app.db, congresses.Actor.current(), code=code, name=name, level=level,
                                           kind=kind, parent=parent, members=members))


@org.command("edit")
@organisation_argument()
@click.option("--name", metavar="TÊN", help="Tên mới.")
@click.option("--kind", metavar="LOẠI", help="Loại mới.")
@click.option("--parent", metavar="TỔ_CHỨC", help="Tổ chức cấp trên mới.")
@click.option("--members", type=Bounded(0, MAX_COUNT), metavar="SỐ", help="Số đảng viên.")
@click.option("--dissolved", metavar="NGÀY", help="Ngày giải thể (sáp nhập): từ ngày này không tính vào tổng số.")
@pass_app
def org_edit(app: App, organisation, name, kind, parent, members, dissolved) -> None:
    """Sửa thông tin một tổ chức; lịch sử giữ giá trị cũ."""
    from congress.application import congresses

    click.echo(congresses.edit_organisation(app.db, congresses.Actor.current(), organisation, today=app.today,
                                            name=name, kind=kind, parent=parent, members=members,
                                            dissolved=dissolved))
