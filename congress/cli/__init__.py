"""The `congress` command. Only Click is imported here: each command imports what it needs,
so `congress --help` stays fast."""
import click

from congress.cli import (
    brief, congresses, database, groups, init, maintenance, orgs, rounds, settings, status, transfer,
)
from congress.cli.common import App, CongressGroup
from congress.db import locate


@click.group("congress", cls=CongressGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL|ĐƯỜNG_DẪN",
    help="Cơ sở dữ liệu (mặc định: biến CONGRESS_DB, nếu không có thì data/congress.db).",
)
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Theo dõi tiến độ đại hội đảng bộ các cấp nhiệm kỳ 2025–2030.

    Ngày viết ngày trước tháng (20/8, 20/8/2025) hoặc 2025-08-20; tổ chức gõ bằng mã
    hoặc tên, có dấu hay không dấu đều được.
    """
    ctx.obj = App(locate(db))


for module in (init, orgs, groups, rounds, congresses, status, database, brief, settings, transfer, maintenance):
    for command in module.COMMANDS:
        main.add_command(command)
