"""The `congress` command. Only Click is imported here: a command's module is imported when that
command runs, so `congress --help` stays fast."""
import click

from congress.cli.common import App, LazyGroup, _vietnamese_click

# before the decorators below run: they ask Click's gettext for default help texts, and the stdlib's
# would look the language up through the locale module first
_vietnamese_click()

# name, where the command lives, and its short help for `congress --help` (the first sentence of the
# command's own help; tests/test_cli.py keeps the two equal): a table, one command a line
_TABLE = """
init      congress.cli.init:init            Tạo cơ sở dữ liệu mới (nhiệm kỳ 2025-2030).
org       congress.cli.orgs:org             Tổ chức đảng: xem, thêm, sửa.
group     congress.cli.groups:group         Tổ công tác chỉ đạo đại hội.
round     congress.cli.rounds:round_        Nhiệm kỳ: các đợt đại hội trong sổ, mốc mục tiêu, hạn chót, hạn đại hội điểm.
schedule  congress.cli.congresses:schedule  Ghi ngày dự kiến tổ chức đại hội.
log       congress.cli.congresses:log       Ghi nhận một đại hội đã tổ chức.
unlog     congress.cli.congresses:unlog     Rút lại một lần ghi nhận nhầm; lịch sử giữ cả hai.
step      congress.cli.congresses:step      Ghi một bước chuẩn bị đại hội đã hoàn thành, hoặc rút lại.
result    congress.cli.congresses:result    Ghi kết quả đại hội đã tổ chức (chỉ các số liệu, từng phần đều được).
pilots    congress.cli.congresses:pilots    Các đại hội điểm và tình trạng.
history   congress.cli.congresses:history   Lịch sử thay đổi (mới nhất trước).
status    congress.cli.status:status        Tiến độ chung, danh sách quá hạn / chậm / có nguy cơ / sắp tổ chức / chậm chuẩn bị, hoặc kết quả đại hội.
db        congress.cli.database:db          Cơ sở dữ liệu: cập nhật cấu trúc, phân quyền tổ công tác (PostgreSQL).
brief     congress.cli.brief:brief          Báo cáo tiến độ hằng tuần gửi Ban Thường vụ.
settings  congress.cli.settings:settings    Thiết lập in trên báo cáo: cơ quan ban hành, địa danh, người ký, nơi nhận.
import    congress.cli.transfer:import_     Nhập tệp Excel (.xlsx) hoặc CSV: tổ chức, ngày dự kiến, ngày tổ chức, kết quả đại hội.
template  congress.cli.transfer:template    Tạo tệp mẫu để điền (Excel hoặc CSV): danh sách tổ chức, tiêu đề tiếng Việt, cột ngày dd/mm/yyyy.
export    congress.cli.transfer:export      Xuất ra Excel, CSV hoặc JSON: tổ chức, chưa đại hội (status), quá hạn, chậm chuẩn bị, kết quả đại hội, lịch sử.
check     congress.cli.maintenance:check    Kiểm tra cơ sở dữ liệu: tệp còn nguyên vẹn và dữ liệu hợp lý (thoát với mã 1 nếu có vấn đề).
backup    congress.cli.maintenance:backup   Sao lưu cơ sở dữ liệu vào TỆP trong khi mọi người vẫn ghi (PostgreSQL: in lệnh pg_dump cần chạy).
serve     congress.cli.serve:serve          Mở sổ theo dõi trên trình duyệt cho văn phòng và các tổ công tác.
user      congress.cli.users:user           Tài khoản đăng nhập trên trình duyệt (congress serve, SQLite).
undo      congress.cli.maintenance:undo     Hoàn tác thay đổi gần nhất của chính mình (lịch sử giữ cả hai).
"""
COMMANDS = {name: (target, short) for name, target, short in (row.split(maxsplit=2) for row in _TABLE.split("\n") if row)}


@click.group(
    "congress", cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
# Click reads the installed version (importlib.metadata) only when --version is asked
@click.version_option(package_name="congress", message="%(prog)s %(version)s", help="In phiên bản rồi thoát.")
@click.option(
    "--db",
    metavar="URL|ĐƯỜNG_DẪN",
    help="Cơ sở dữ liệu (mặc định: biến CONGRESS_DB, nếu không có thì data/congress.db).",
)
@click.option(
    "--round", "round_name", envvar="CONGRESS_ROUND", metavar="TÊN",
    help="Nhiệm kỳ cần xem hoặc ghi (mặc định: biến CONGRESS_ROUND, nếu không có thì nhiệm kỳ đang mở có hạn chót sớm nhất).",
)
@click.option(
    "--debug", is_flag=True,
    help="Khi gặp sự cố ngoài dự kiến, in đầy đủ traceback (hoặc biến CONGRESS_DEBUG=1).",
)
@click.pass_context
def main(ctx: click.Context, db: str | None, round_name: str | None, debug: bool) -> None:
    """Theo dõi tiến độ đại hội đảng bộ các cấp nhiệm kỳ 2025–2030.

    Ngày viết ngày trước tháng (20/8, 20/8/2025) hoặc 2025-08-20; tổ chức gõ bằng mã
    hoặc tên, có dấu hay không dấu đều được.
    """
    from congress.application.database import locate  # here: `congress --help` never comes this far

    ctx.obj = App(locate(db))
    if round_name:  # every read and write of this command is about that round (congress.read.lookups)
        from congress.application.database import choose_round, unchoose_round

        token = choose_round(round_name)
        ctx.call_on_close(lambda: unchoose_round(token))  # a process that runs several commands: tests
