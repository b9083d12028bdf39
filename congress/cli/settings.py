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
    from congress.writes.letterhead import SETTINGS, read_settings
    from congress.presentation.sinks import Column, render

    with app.store() as store:
        values = read_settings(store)
    rows = [
        {"key": spec.key, "value": values.get(spec.key) or ("(chưa đặt)" if spec.required else ""),
         "meaning": spec.meaning}
        for spec in SETTINGS
    ]
    echo(render(rows, [Column("key", "Khóa"), Column("value", "Giá trị"), Column("meaning", "Ý nghĩa")], fmt))


@settings.command("set")
@click.argument("key", metavar="KHÓA")
@click.argument("value", metavar="GIÁ_TRỊ")
@pass_app
def settings_set(app: App, key: str, value: str) -> None:
    """Đặt một thiết lập, ví dụ: congress settings set place "Hải Phòng"."""
    from congress.writes.letterhead import set_setting
    from congress.writes.register import Actor

    with app.session(write=True) as session:
        changed = set_setting(session, Actor.current(), key, value)
    click.echo(f"Đã đặt {key}." if changed else f"{key} không đổi.")
