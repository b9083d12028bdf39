"""Sheets as offices really send them, and sheets Excel opens safely.

Reading: xlsx (openpyxl, read-only) or CSV in any encoding Excel writes, headers in Vietnamese or
English with or without diacritics, dates as date cells, serial numbers or day-first text.
Writing: the one CSV writer (files with a BOM, listings on stdout without) and XLSX with typed
cells; text that a spreadsheet could run as a formula is neutralised, and reads back exactly.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator

from congress.domain.dates import parse_date
from congress.domain.errors import CongressError
from congress.domain.rules import MAX_CELL_CHARS, MAX_COUNT
from congress.domain.vn import RESULT_HEADERS, fold, nfc, number

# openpyxl's own English remarks on a file it repairs as it reads ("Workbook contains no default
# style, apply openpyxl's default") are not for a clerk: what is wrong with a file, the checks here say.
# Every use of openpyxl goes through this module, so this one filter covers them all.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")

# Short forms clerks write for a result's column, beside its header and its field's own name
_RESULT_SHORT = {"committee_members": ("so uy vien bch",), "standing_members": ("so uy vien btv",),
                 "delegates": ("so dai bieu chinh thuc",)}
# The columns any import understands: key → headers as folded (see header_key). Each import uses
# some; the others are recognised and left alone, so an export can be sent back as it is.
COLUMNS = {
    "code": ("ma", "ma to chuc", "ma so", "ma don vi", "code"),
    "organisation": ("to chuc", "don vi", "ma hoac ten", "organisation", "organization", "org"),
    "name": ("ten", "ten to chuc", "ten don vi", "ten to chuc dang", "name"),
    "level": ("cap", "cap to chuc", "level"),
    "kind": ("loai", "loai hinh", "loai to chuc", "kind"),
    "parent": ("cap tren", "to chuc cap tren", "ma cap tren", "parent", "parent code"),
    "committee": ("dang bo truc thuoc", "committee"),
    "working_group": ("to", "to cong tac", "so to", "working group", "group"),
    "party_members": ("dang vien", "so dang vien", "tong so dang vien", "party members", "members"),
    "planned_on": ("ngay du kien", "du kien", "du kien dh", "ngay du kien dai hoi", "planned on", "planned"),
    "held_on": ("ngay to chuc", "ngay dai hoi", "ngay to chuc dai hoi", "da dh ngay", "ngay dh", "held on", "held"),
    "dissolved_on": ("giai the", "ngay giai the", "dissolved on", "dissolved"),
    "pilot": ("dai hoi diem", "pilot"),
    "note": ("ghi chu", "note", "notes"),
    "reason": ("ly do", "tinh trang", "reason", "standing"),
    "days_overdue": ("so ngay qua han", "days overdue"),
    "row_number": ("stt", "tt", "so thu tu", "no"),
    # a congress's result (rules.RESULT_FIELDS): the header `template results` writes (vn.RESULT_HEADERS;
    # "Số ủy viên nữ"), the field's name ("women", "under_40") and the short forms
    **{field: (fold(header), field.replace("_", " "), *_RESULT_SHORT.get(field, ()))
       for field, header in RESULT_HEADERS.items()},
}
_HEADER_TO_KEY = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}

# A leading character that makes Excel, LibreOffice or Google Sheets read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text starting with one of these is quoted when written: a leading apostrophe is quoted too, so that
# reading can tell our apostrophe from one that belongs to the text.
_QUOTED_STARTS = (*FORMULA_STARTS, "'")
CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
_HEADER_SEARCH_ROWS = 10  # a sheet may start with a title or a blank line above its headers
_DELIMITERS = (",", ";", "\t")
# Limits on what an import reads, so that a damaged or hostile file is refused before it fills the
# memory or the register: a national list of 60.000 organisations is about 6 MB as a file.
MAX_FILE_BYTES = 50_000_000  # on disk, and an xlsx's parts once unpacked
MAX_COLUMNS = 200
_MB = 1_000_000


def header_key(text: str) -> str:
    """ "Ngày tổ chức (dd/mm/yyyy)*", "ngay_to_chuc", " NGAY TO CHUC " → "ngay to chuc"."""
    text = re.sub(r"\(.*?\)", " ", text)
    return " ".join(re.sub(r"[_\-.:/*#]", " ", fold(text)).split())


def column_letter(index: int) -> str:
    """0 → A, 26 → AA: what a user sees above the column in Excel."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class Sheet:
    """A table read from a file: its header row and its data rows, blank ones skipped."""

    name: str
    headers: list[str]  # as written in the file
    header_row: int  # 1-based, as Excel numbers rows
    columns: dict[str, int]  # key → position, for every recognised header
    unknown: list[str]  # headers not recognised, each with its column letter
    rows: Iterator[tuple[int, tuple]]  # (row number, cells)
    size: int | None  # how many rows to expect, for a progress bar

    def header(self, key: str) -> str:
        return self.headers[self.columns[key]]

    def _data(self, rows: Iterable[tuple[int, tuple]]) -> Iterator[tuple[int, tuple]]:
        """Non-blank rows; a filled cell under no header makes that column unknown too."""
        named = len(self.headers)
        untitled = [i for i, header in enumerate(self.headers) if not header]
        reported = set()
        for row_number, cells in rows:
            trimmed = _trimmed(cells)
            if not trimmed:  # no cell filled
                continue
            _check_row(self.name, row_number, trimmed)
            for index in [*untitled, *range(named, len(cells))] if untitled or len(cells) > named else ():
                if index < len(cells) and index not in reported and _filled(cells[index]):
                    reported.add(index)
                    self.unknown.append(f"cột {column_letter(index)} (không có tiêu đề)")
            yield row_number, cells


def read_sheet(path: Path) -> Sheet:
    """The first table of an .xlsx or a CSV file (.csv, .txt, .tsv)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise CongressError(f"Không tìm thấy tệp {path}.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CongressError(
            f"Tệp {path.name} lớn {number(path.stat().st_size // _MB)} MB; mỗi tệp nhập tối đa "
            f"{number(MAX_FILE_BYTES // _MB)} MB. Hãy chia thành nhiều tệp."
        )
    if suffix == ".xlsx":
        rows, size = _xlsx_rows(path)
    elif suffix in CSV_EXTENSIONS:
        records, size = _csv_records(path)
        rows = enumerate(records, start=1)
    elif suffix == ".xls":
        raise CongressError(f"{path.name} là định dạng Excel cũ (.xls); hãy mở trong Excel và lưu lại thành .xlsx.")
    else:
        raise CongressError(f"Không đọc được {path.name}: chỉ nhận tệp .xlsx hoặc .csv.")
    return _with_header(path.name, rows, size)


def _with_header(name: str, rows: Iterator[tuple[int, tuple]], size: int | None) -> Sheet:
    """The header is the first row, among the first few non-blank ones, with a header we know."""
    seen, header_at = [], 0
    for row_number, cells in rows:
        cells = _trimmed(cells)
        if not cells:
            continue
        _check_row(name, row_number, cells)
        seen.append((row_number, cells))
        if any(_HEADER_TO_KEY.get(header_key(cell_text(c) or "")) for c in cells):
            header_at = len(seen) - 1
            break
        if len(seen) == _HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise CongressError(f"Tệp {name} không có dữ liệu.")
    header_row, cells = seen[header_at]
    headers = [cell_text(c) or "" for c in cells]
    columns, unknown, repeated = {}, [], []
    for index, header in enumerate(headers):
        key = _HEADER_TO_KEY.get(header_key(header)) if header else None
        if not header:
            continue  # reported only if a row has something in it
        if key is None:
            unknown.append(f"«{header}» (cột {column_letter(index)})")
        elif key in columns:
            repeated.append(f"«{header}» (cột {column_letter(columns[key])} và {column_letter(index)})")
        else:
            columns[key] = index
    if repeated:
        raise CongressError(f"Tệp {name} có cột trùng nghĩa: {', '.join(repeated)}. Hãy xóa bớt một cột.")
    sheet = Sheet(name, headers, header_row, columns, unknown, iter(()), size - header_row if size else None)
    sheet.rows = sheet._data(chain(seen[header_at + 1 :], rows))
    return sheet


def _check_row(name: str, row_number: int, cells: tuple) -> None:
    """A row within the limits (MAX_COLUMNS, MAX_CELL_CHARS), or the whole file is refused."""
    if len(cells) > MAX_COLUMNS:
        raise CongressError(
            f"Tệp {name}, dòng {row_number}: {number(len(cells))} cột; một bảng nhập có tối đa {MAX_COLUMNS} cột."
        )
    try:  # a CSV row is all text, measured in one go; an xlsx row's numbers and dates have no length
        if max(map(len, cells), default=0) <= MAX_CELL_CHARS:
            return
    except TypeError:
        pass
    for index, value in enumerate(cells):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise CongressError(
                f"Tệp {name}, dòng {row_number}, cột {column_letter(index)}: ô dài {number(len(value))} ký tự; "
                f"mỗi ô tối đa {number(MAX_CELL_CHARS)} ký tự."
            )


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _trimmed(cells: tuple) -> tuple:
    """Without the empty cells at the end of the row (trailing empty columns)."""
    end = len(cells)
    while end and not _filled(cells[end - 1]):
        end -= 1
    return tuple(cells[:end])


def _xlsx_rows(path: Path) -> tuple[Iterator[tuple[int, tuple]], int | None]:
    import zipfile

    from openpyxl import load_workbook

    damaged = CongressError(
        f"Không mở được tệp Excel {path.name}: tệp hỏng, bị cắt dở hoặc không phải .xlsx. "
        "Hãy mở trong Excel, lưu lại thành .xlsx rồi nhập lại."
    )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise damaged from None
    if unpacked > MAX_FILE_BYTES:  # a few MB of zip can hold a 200 MB string
        raise CongressError(
            f"Tệp {path.name} khi giải nén lớn {number(unpacked // _MB)} MB; mỗi tệp nhập tối đa "
            f"{number(MAX_FILE_BYTES // _MB)} MB. Hãy chia thành nhiều tệp."
        )
    # Whatever a damaged or hostile file makes openpyxl or the XML parser raise (a missing part, broken
    # XML, an entity bomb refused by defusedxml), the user can only repair or resend the file.
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.active or workbook.worksheets[0]
        size = sheet.max_row  # from the "used range" openpyxl reads on opening
        # Some programs write a wrong "used range"; without it every row is read.
        sheet.reset_dimensions()
    except Exception:
        raise damaged from None

    def rows():
        try:
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        except Exception:
            raise damaged from None
        finally:
            workbook.close()

    return rows(), size


def _csv_records(path: Path) -> tuple[Iterator[list[str]], int]:
    """The records, read one at a time from the file (neither its text nor 60.000 rows are ever held),
    and about how many (for a progress bar)."""
    with open(path, "rb") as raw:
        encoding = _first_guess(raw.read(200))
    opened = partial(open, path, encoding=encoding, newline="")
    try:
        scan = _Scan.of(opened)
    except UnicodeDecodeError:  # not what its first bytes say (Windows-1258, or refused): read whole by decode()
        whole = decode(path.read_bytes(), path.name)
        opened = partial(io.StringIO, whole, newline="")
        scan = _Scan.of(opened)
    if scan.nul:
        raise CongressError(f"Không đọc được {path.name}: tệp có byte 0, không phải tệp văn bản CSV.")
    try:
        delimiter = detect_delimiter([line for line in scan.first_lines if line.strip()])
    except csv.Error:  # a field over the csv module's limit: far over MAX_CELL_CHARS
        raise _unreadable_csv(path) from None

    def records() -> Iterator[list[str]]:
        try:
            with opened() as text:
                for record in csv.reader(text, delimiter=delimiter):
                    yield [restored(cell) for cell in record] if scan.apostrophe else record
        except csv.Error:
            raise _unreadable_csv(path) from None

    return records(), scan.lines


@dataclass
class _Scan:
    """What reading a CSV file needs to know before its first record, from one pass over its text."""

    first_lines: list[str]  # for the delimiter
    lines: int  # about how many rows: a cell holding a line break counts twice
    nul: bool  # a zero character: not a text file
    apostrophe: bool  # most files have none at all, so 60.000 rows need no restoring

    _CHUNK = 1 << 16  # characters read at a time
    _FIRST = 50

    @classmethod
    def of(cls, opened: Callable[[], io.TextIOBase]) -> "_Scan":
        head, first, breaks, last, nul, apostrophe = "", None, 0, "", False, False
        with opened() as text:
            while chunk := text.read(cls._CHUNK):
                if first is None:
                    head += chunk
                    if len(found := head.splitlines()) > cls._FIRST:  # these lines are whole: more follow
                        first, head = found[: cls._FIRST], ""
                breaks += chunk.count("\n")
                last = chunk[-1]
                nul = nul or "\x00" in chunk
                apostrophe = apostrophe or "'" in chunk
        return cls(first if first is not None else head.splitlines()[: cls._FIRST], breaks + (last != "\n"), nul,
                   apostrophe)


def _unreadable_csv(path: Path) -> CongressError:
    return CongressError(
        f"Không đọc được {path.name}: có ô quá dài (mỗi ô tối đa {number(MAX_CELL_CHARS)} ký tự) "
        "hoặc dấu ngoặc kép không đóng."
    )


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), else Windows-1258; a file whose
    lines are in two of them (rows pasted from two sources) is refused rather than half garbled."""
    unreadable = CongressError(
        f"Không đọc được {name}: không phải UTF-8, UTF-16 hay Windows-1258. "
        "Trong Excel, hãy lưu lại bằng «CSV UTF-8» hoặc dùng tệp .xlsx."
    )
    encoding = _first_guess(data[:200])
    if encoding == "utf-8-sig":
        encoding, data = "utf-8", data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise unreadable from None
    _check_one_encoding(data, name)
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise unreadable from None


def _first_guess(head: bytes) -> str:
    """The encoding a file's first 200 bytes say: a BOM, UTF-16's zero bytes, else UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.count(0) > len(head) // 4:  # UTF-16 without a BOM: every other byte of ASCII is zero
        return "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    return "utf-8"


def _check_one_encoding(data: bytes, name: str) -> None:
    """A file that is not UTF-8 as a whole may still have UTF-8 lines among Windows-1258 ones: such
    a mix is refused, naming the first line that disagrees with the first non-ASCII one."""
    first = None  # whether the first non-ASCII line is UTF-8
    for line_number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            utf8 = False
        if first is None:
            first = utf8
        elif utf8 != first:
            raise CongressError(
                f"Không đọc được {name}: dòng {line_number} viết bằng bảng mã "
                f"{'UTF-8' if utf8 else 'khác UTF-8 (Windows-1258?)'}, khác các dòng trước "
                f"({'UTF-8' if first else 'Windows-1258'}). Hãy lưu lại cả tệp bằng «CSV UTF-8» hoặc dùng tệp .xlsx."
            )


def detect_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same, widest number of fields."""

    def score(delimiter: str):
        try:
            widths = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter))
        except csv.Error:  # a very wide line is one over-long field for the wrong delimiter
            return (False, 0, 0)
        width, count = widths.most_common(1)[0] if widths else (1, 0)
        return (width > 1, count, width)

    return max(_DELIMITERS, key=score)


# --- cells ---------------------------------------------------------------------------------------


def cell_text(value) -> str | None:
    """A cell as text: NFC, trimmed, None when blank."""
    if value is None:
        return None
    if type(value) is str:  # the common case, kept fast for 60.000-row sheets
        # A leading tab is the text's own: Excel cannot type one, but an export writes it as it is.
        text = value.rstrip() if value[:1] == "\t" else value.strip()
        if not text.isascii():
            text = nfc(text)
        return text or None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = nfc(str(value)).strip()
    return text or None


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIALS = range(36526, 73051)  # 1/1/2000 – 31/12/2099: a number outside is not meant as a date


def cell_date(value, *, default_year: int, today: dt.date) -> dt.date | None:
    """A date cell, an Excel serial number, or text as users type it."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value, str(value))
    text = cell_text(value)
    if text is None:
        return None
    if text.isdigit():
        return _serial(int(text), text)
    # "2025-08-20 00:00:00": a date another program wrote with a time of day
    text = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]00:00(:00)?$", r"\1", text)
    return parse_date(text, default_year=default_year, today=today)


def _serial(number: float, shown: str) -> dt.date:
    if int(number) not in _SERIALS:
        raise CongressError(f"«{shown}» không phải một ngày.")
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


_GROUPED = re.compile(r"\d{1,3}([. ,]\d{3})+")


def cell_count(value, *, signed: bool = False) -> int | None:
    """A whole number as a cell, or as text: "1.845", "1 845", "1845"; with `signed`, text may be negative
    ("-3"), as a number cell may, so that the rule refuses it in its own words (a result's counts)."""
    if value is None:
        return None
    if signed and type(value) is str and (text := cell_text(value) or "").startswith("-"):
        if _GROUPED.fullmatch(digits := text[1:].strip()) or (digits.isdigit() and digits.isascii()):
            return -cell_count(digits)
        raise CongressError(f"«{text}» không phải một số nguyên.")
    if type(value) is str and value.isdigit() and value.isascii():  # a CSV's usual cell, as cell_text would give it
        return _bounded(value)
    if isinstance(value, bool):
        raise CongressError(f"«{value}» không phải một số.")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or not float(value).is_integer():
            raise CongressError(f"«{value}» không phải số nguyên.")
        return _bounded(int(value))
    text = cell_text(value)
    if text is None:
        return None
    if text.isdigit() and text.isascii():
        return _bounded(text)
    if _GROUPED.fullmatch(text):
        return _bounded(re.sub(r"\D", "", text))
    raise CongressError(f"«{text}» không phải một số nguyên.")


def _bounded(digits) -> int:
    """At most MAX_COUNT; a long string of digits is refused before int() (which stops at 4.300 digits)."""
    if len(str(digits).lstrip("0")) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
        shown = str(digits) if len(str(digits)) <= 30 else str(digits)[:30] + "…"
        raise CongressError(f"Số {shown} quá lớn (tối đa {number(MAX_COUNT)}).")
    return int(digits)


# --- writing -------------------------------------------------------------------------------------


def neutralised(text: str) -> str:
    """A leading apostrophe: spreadsheets show the text instead of running it as a formula. A negative
    whole number (days past a planned date: -16) is a number to them, not a formula, and stays one."""
    if _NEGATIVE.fullmatch(text):
        return text
    return "'" + text if text.startswith(_QUOTED_STARTS) else text


_NEGATIVE = re.compile(r"-[0-9]{1,15}")


def restored(text: str) -> str:
    """A CSV cell as it was before `neutralised`: one apostrophe dropped, only where that added one."""
    return text[1:] if text[:1] == "'" and text[1:2] in _QUOTED_STARTS else text


def write_csv(stream, headers: list[str], rows: Iterable[list[str]], *, bom: bool = True) -> None:
    """A CSV file: UTF-8 with a BOM by default, which is what makes Excel read Vietnamese correctly."""
    if bom:
        stream.write(codecs.BOM_UTF8)
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    _write_csv_rows(text, headers, rows, "\r\n")
    text.detach()


def csv_text(headers: list[str], rows: Iterable[list[str]]) -> str:
    """A listing as CSV for stdout: no BOM, lines ended as the terminal ends them."""
    buffer = io.StringIO()
    _write_csv_rows(buffer, headers, rows, "\n")
    return buffer.getvalue().rstrip("\n")


def _write_csv_rows(text, headers: list[str], rows: Iterable[list[str]], line_end: str) -> None:
    """Where every CSV is written, so no cell escapes being neutralised."""
    writer = csv.writer(text, lineterminator=line_end)
    writer.writerow([neutralised(h) for h in headers])
    for row in rows:
        writer.writerow([neutralised(cell) for cell in row])


@dataclass(frozen=True)
class XlsxColumn:
    header: str
    width: float
    number_format: str | None = None  # for date and number cells
    validation: object | None = None  # an openpyxl DataValidation for the column's data cells


DAY_FORMAT = "dd/mm/yyyy"
COUNT_FORMAT = "#,##0"


def write_xlsx(stream, title: str, columns: list[XlsxColumn], rows: Iterable[list], *, blank_rows: int = 0) -> None:
    """One sheet: a bold frozen header, widths set, dates shown dd/mm/yyyy, text never a formula.
    `blank_rows` extends each column's validation below the data, for rows users will add."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_xml_safe(title)[:31])
    sheet.freeze_panes = "A2"
    _print_as_is(sheet)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="center")
    header_cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_xml_safe(column.header))
        cell.font, cell.alignment = bold, wrap
        header_cells.append(cell)
    sheet.append(header_cells)

    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, column) for value, column in zip(row, columns)])
        count += 1
    last = count + 1 + blank_rows
    for index, column in enumerate(columns, start=1):
        if column.validation is not None and last > 1:
            letter = get_column_letter(index)
            column.validation.add(f"{letter}2:{letter}{last}")
            sheet.data_validations.append(column.validation)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"  # a filter on the header
    workbook.save(stream)


def _print_as_is(sheet) -> None:
    """A sheet that prints as it is: the header on every page, A4 landscape, as wide as the page, the
    page number in the footer. Set before the first row: a write-only sheet writes its properties then."""
    sheet.print_title_rows = "1:1"
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # 0: as many pages down as it takes
    sheet.oddFooter.center.text = "Trang &P/&N"


def _xlsx_cell(sheet, value, column: XlsxColumn):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = _xml_safe(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Stored as text, never as a formula; the quote prefix keeps it text when someone edits the cell.
        cell.data_type = "s"
        if value.startswith(_QUOTED_STARTS):
            cell.quotePrefix = True
    elif column.number_format and value is not None:
        cell.number_format = column.number_format
    return cell


def _xml_safe(text: str) -> str:
    """Control characters XML cannot hold (an ESC stored before names were checked) are left out:
    otherwise openpyxl refuses the whole workbook, and every export and template with it."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def width_for(header: str, samples: Iterable[str], *, least: float = 6, most: float = 50) -> float:
    longest = max([len(header)] + [len(s) for s in samples])
    return float(min(max(longest + 2, least), most))


def progress_each(rows: Iterator, advance: Callable[[int], None] | None) -> Iterator:
    """The rows, advancing a progress bar every so often (cheap enough for 60.000 rows)."""
    if advance is None:
        yield from rows
        return
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if pending == 500:
            advance(pending)
            pending = 0
    advance(pending)
