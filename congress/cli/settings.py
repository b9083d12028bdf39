import click

from congress.cli.common import App, echo, pass_app, view_format_option


@click.group("settings")
def settings() -> None:
    """Thiết lập in trên báo cáo: cơ quan ban hành, địa danh, người ký, nơi nhận."""


@settings.command("list")
@view_format_option
@pass_app
def settings_list(app: App, fmt) -> None:
    """Các thiết lập, giá trị hiện tại và ý nghĩa."""
    from congress.application.brief import settings as letterhead
    from congress.presentation.sinks import Column, render

    rows = [{"key": row.key, "value": row.value, "meaning": row.meaning} for row in letterhead(app.db)]
    echo(render(rows, [Column("key", "Khóa"), Column("value", "Giá trị"), Column("meaning", "Ý nghĩa")], fmt))


@settings.command("set")
@click.argument("key", metavar="KHÓA")
@click.argument("value", metavar="GIÁ_TRỊ")
@pass_app
def settings_set(app: App, key: str, value: str) -> None:
    """Đặt một thiết lập, ví dụ: congress settings set place "Hải Phòng"."""
    from congress.application.brief import change_setting

    changed = change_setting(app.db, key, value)
    click.echo(f"Đã đặt {key}." if changed else f"{key} không đổi.")
