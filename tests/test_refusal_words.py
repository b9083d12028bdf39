"""A refusal carries its facts and what would let it through (congress.domain.errors.Allow); each face
words the second in its own terms: the command line with its options, a page with its form."""
import pytest

from conftest import digest, run
from congress.cli.common import worded
from congress.domain.errors import Allow, CongressError

CLI = [
    # (name, the domain's sentence, allow, when, what the command line prints)
    ("an override", "Ngày dự kiến sau hạn chót.", Allow.OVERRIDE, "nếu đã được cho phép tổ chức muộn",
     "Ngày dự kiến sau hạn chót. Dùng --force nếu đã được cho phép tổ chức muộn."),
    ("a reason, named within the sentence", "Cần ghi lý do rút lại.", Allow.REASON, "",
     "Cần ghi lý do rút lại (--reason)."),
    ("a parent, named within the sentence", "Cần chỉ tổ chức cấp trên.", Allow.PARENT, "",
     "Cần chỉ tổ chức cấp trên (--parent)."),
    ("an undo asked again", "Trong lúc chờ xác nhận, an đã có thay đổi mới; không hoàn tác.", Allow.UNDO_AGAIN, "",
     "Trong lúc chờ xác nhận, an đã có thay đổi mới; không hoàn tác. Chạy lại «congress undo»."),
    ("nothing allows it", "Số đảng viên không thể âm.", None, "", "Số đảng viên không thể âm."),
]


@pytest.mark.parametrize("message, allow, when, printed", [c[1:] for c in CLI], ids=[c[0] for c in CLI])
def test_the_command_line_words_what_allows_it(message, allow, when, printed):
    assert worded(CongressError(message, allow=allow, when=when)) == printed


REFUSED = [
    # (name, command, the whole error line): the register's refusals reach the user worded as before
    ("unlog without a reason", ("unlog", "P.THUYNGUYEN.01", "--reason", " "), "Lỗi: Cần ghi lý do rút lại (--reason).\n"),
    ("a committee without its parent",
     ("org", "add", "X.MOI", "Đảng bộ xã Mới", "--level", "committee", "--kind", "xã"),
     "Lỗi: Cần chỉ tổ chức cấp trên (--parent).\n"),
    ("a grassroots organisation given as a committee", ("status", "--committee", "X.NINHGIANG.03"),
     "Lỗi: Chi bộ Trường Tiểu học Ninh Giang không phải đảng bộ trực thuộc (--committee).\n"),
    ("a group outside its scope", ("log", "X.VINHBAO", "--held", "1/11/2026", "--group", "3"),
     "Lỗi: Đảng bộ xã Vĩnh Bảo (X.VINHBAO) thuộc tổ công tác số 11, không thuộc tổ công tác số 3. "
     "Dùng --force nếu tổ được giao thêm việc này.\n"),
]


@pytest.mark.parametrize("args, line", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_refusals_reach_the_command_line_worded(sample_db, args, line):
    before = digest(sample_db)
    result = run(*args)
    assert (result.exit_code, result.stderr) == (1, line)
    assert digest(sample_db) == before
