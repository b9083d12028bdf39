"""Every file the register writes (export, template, brief -o, backup): never into something that is
not a regular file (a device, a pipe, a folder), never over an existing file without --force, and
never half a file: the content goes to a temporary file beside the target, renamed over it once
complete, and removed on any failure."""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from congress.domain.errors import Allow, CongressError


def check_target(path: Path, *, force: bool) -> None:
    """Refuses a target we must not write, before any work is done."""
    if path.is_dir():
        raise CongressError(f"{path} là một thư mục; hãy chỉ tên tệp.")
    if os.path.lexists(path) and not path.is_file():
        # /dev/null, /dev/full, a pipe, a dangling link: --force never turns it into a regular file
        raise CongressError(f"{path} không phải tệp thường (thiết bị, ống dẫn hay liên kết hỏng): không ghi vào đó.")
    if path.is_file() and not force:
        raise CongressError(f"Tệp {path} đã có.", allow=Allow.OVERWRITE, when="để ghi đè")
    if not path.parent.is_dir():
        raise CongressError(f"Không ghi được tệp {path}: không có thư mục {path.parent}.")


def temporary_beside(path: Path) -> str:
    """An empty temporary file in the target's folder (so the rename is atomic), with the mode the
    target has, or the one a new file gets: mkstemp's 0600 would hide an export from colleagues."""
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise unwritable(path, error) from None
    os.close(fd)
    if path.is_file():
        mode = stat.S_IMODE(path.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temporary, mode)
    return temporary


@contextmanager
def written(path: str | Path, *, force: bool):
    """A binary stream whose content replaces `path` only when the block completes."""
    path = Path(path)
    check_target(path, force=force)
    temporary = temporary_beside(path)
    try:
        try:
            with open(temporary, "wb") as stream:
                yield stream
        except OSError as error:  # a full disk
            raise unwritable(path, error) from None
        try:
            os.replace(temporary, path)
        except OSError as error:  # a file Excel holds open (Windows)
            raise unwritable(path, error, replacing=True) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


_REASONS = {
    errno.EACCES: "không có quyền ghi", errno.EPERM: "không có quyền ghi", errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOSPC: "ổ đĩa đã đầy", errno.EDQUOT: "đã hết hạn mức dung lượng", errno.EFBIG: "tệp quá lớn",
    errno.EIO: "lỗi thiết bị khi ghi", errno.ENOENT: "không có thư mục này", errno.EISDIR: "là một thư mục",
}


def reason(error: OSError) -> str:
    """Why a write failed, in Vietnamese (the system's own strerror is English)."""
    return _REASONS.get(error.errno, error.strerror or str(error))


def unwritable(path, error: OSError, *, replacing: bool = False) -> CongressError:
    # Windows refuses to replace a file another program holds open, Excel most often
    hint = " (tệp có đang mở trong Excel hay chương trình khác không?)" if (
        replacing and isinstance(error, PermissionError)) else ""
    return CongressError(f"Không ghi được tệp {path}: {reason(error)}{hint}.")
