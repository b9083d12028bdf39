"""The weekly brief: its figures against the register itself, its formats, its bad input."""
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import digest, run, sql

ROOT = Path(__file__).resolve().parents[1]
GRASSROOTS = re.compile(
    r"đã có ([\d.]+)/([\d.]+) \(([\d,]+%)\) tổ chức cơ sở đảng tổ chức đại hội; "
    r"trong tuần có ([\d.]+) tổ chức cơ sở đảng"
)


def brief_txt(*args: str) -> str:
    result = run("brief", "--format", "txt", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def grassroots(text: str) -> dict:
    held, total, percent, week = GRASSROOTS.search(text).groups()
    return {"held": int(held.replace(".", "")), "total": int(total.replace(".", "")), "percent": percent,
            "week": int(week.replace(".", ""))}


def held_between(db: Path, first: dt.date, last: dt.date, level: str = "grassroots") -> int:
    """Straight from the tables, not through the code under test."""
    return sql(
        db,
        "SELECT count(*) FROM congress JOIN organisation o ON o.id = congress.organisation_id "
        "WHERE o.level = :level AND held_on BETWEEN :first AND :last",
        level=level, first=first, last=last,
    )[0][0]


def json_rows(*args):
    import json

    return json.loads(run(*args, "--format", "json").stdout)


def test_as_of_9_july_says_what_was_reported(sample_db):
    text = brief_txt("--as-of", "2025-07-09")
    assert "Tính đến ngày 9/7/2025, đã có 1.325/1.845 (71,8%) tổ chức cơ sở đảng tổ chức đại hội" in text
    assert "dự kiến có thêm 520 trong số 520 tổ chức cơ sở đảng chưa tổ chức đại hội" in text
    assert "hạn chót ngày 31/8/2025: còn 53 ngày" in text


@pytest.mark.parametrize("as_of", ["2025-05-04", "2025-07-09", "2025-07-13", "2025-08-20"])
def test_held_this_week_equals_the_held_dates_of_that_week(sample_db, as_of):
    day = dt.date.fromisoformat(as_of)
    found = grassroots(brief_txt("--as-of", as_of))
    assert found["week"] == held_between(sample_db, day - dt.timedelta(days=6), day)


@pytest.mark.parametrize("week, previous", [("2025-W28", "2025-W27"), ("2025-W31", "2025-W30"), ("2025-W19", "2025-W18")])
def test_two_consecutive_weeks_add_up(sample_db, week, previous):
    this, last = grassroots(brief_txt("--week", week)), grassroots(brief_txt("--week", previous))
    assert last["held"] + this["week"] == this["held"]


def test_committee_weeks_add_up_too(sample_db):
    pattern = re.compile(r"đã có ([\d.]+)/[\d.]+ \([\d,]+%\) đảng bộ trực thuộc tổ chức đại hội; trong tuần có (\d+)")
    held_33, _ = pattern.search(brief_txt("--week", "2025-W33")).groups()
    held_34, week_34 = pattern.search(brief_txt("--week", "2025-W34")).groups()
    assert int(week_34) > 0
    assert int(held_33) + int(week_34) == int(held_34)


def test_week_reports_as_of_its_sunday(sample_db):
    text = brief_txt("--week", "2025-W28")
    assert "(số liệu tính đến ngày 13/7/2025)" in text.splitlines()
    assert "(từ ngày 7/7 đến ngày 13/7/2025)" in text
    assert "Tính đến ngày 13/7/2025" in text


def test_header_and_closing_as_on_a_party_document(sample_db):
    text = brief_txt("--as-of", "9/7/2025", "--date", "9/7/2025", "--number", "12")
    for line in ["ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", "THÀNH ỦY", "*", "Số 12-BC/TU", "ĐẢNG CỘNG SẢN VIỆT NAM",
                 "Hải Phòng, ngày 09 tháng 7 năm 2025", "BÁO CÁO",
                 "tiến độ tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025–2030",
                 "(từ ngày 3/7 đến ngày 9/7/2025)", "T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Nơi nhận:",
                 "- Ban Thường vụ Thành ủy (để báo cáo),", "- Lưu Văn phòng."]:
        assert line in text.splitlines(), line
    assert "DỮ LIỆU MẪU" in text


def test_the_document_is_dated_by_date_and_its_figures_by_as_of(sample_db):
    text = brief_txt("--as-of", "9/7/2025", "--date", "11/7/2025")
    lines = text.splitlines()
    assert "Hải Phòng, ngày 11 tháng 7 năm 2025" in lines
    assert "(số liệu tính đến ngày 9/7/2025)" in lines
    assert "Tính đến ngày 9/7/2025, đã có 1.325/1.845 (71,8%)" in text
    today = brief_txt("--week", "2025-W28").splitlines()  # both default to today (2026-11-21 in the tests)
    assert "Hải Phòng, ngày 21 tháng 11 năm 2026" in today and "(số liệu tính đến ngày 13/7/2025)" in today
    assert "Hải Phòng, ngày 21 tháng 11 năm 2026" in brief_txt().splitlines()


def test_a_number_left_blank_leaves_room_to_write_it_by_hand(sample_db):
    assert re.search(r"^Số \s{10,}-BC/TU$", brief_txt("--as-of", "9/7/2025"), re.M)
    assert re.search(r"^Số \s{10,}-BC/TU$", run("brief", "--format", "md").stdout, re.M)
    html = run("brief", "--as-of", "9/7/2025").stdout
    assert 'Số <span class="number-blank"></span>-BC/TU' in html
    assert re.search(r"\.number-blank \{[^}]*display: inline-block;[^}]*width: \d+mm;", html)
    assert 'Số 127-BC/TU' in run("brief", "--number", "127").stdout


def test_a_long_issuer_wraps_in_its_own_column(sample_db, tmp_path):
    assert run("settings", "set", "issuer.name", "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG THÀNH PHỐ").exit_code == 0
    html = run("brief", "--as-of", "9/7/2025").stdout
    assert '<td class="issuer">' in html and '<td class="nation">' in html
    assert re.search(r"table\.header \{[^}]*table-layout: fixed;", html)
    assert re.search(r"table\.header td\.issuer, table\.header td\.nation \{ width: 50%; \}", html)
    assert not re.search(r"(table\.header|\.issuer|\.party|\.date-line)[^{}]*\{[^}]*nowrap", html)
    first = pdf_pages(tmp_path, "--as-of", "9/7/2025", "--date", "9/7/2025")[0]
    lines = first.extract_text().splitlines()
    assert lines[lines.index("ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG") + 1] == "THÀNH PHỐ"  # two lines in its column
    starts = {}
    first.extract_text(visitor_text=lambda text, cm, tm, font, size: starts.setdefault(
        text.strip(), (cm[4] + tm[4] * cm[0]) * 25.4 / 72))
    # The date line (about 80 mm of 14 pt italic) starts in the right half of the 165 mm between the
    # margins (30 mm + 82,5 mm) and early enough to end before the 15 mm right margin.
    assert 112 <= starts["Hải Phòng, ngày 09 tháng 7 năm 2025"] <= 117


def test_document_date_pads_days_and_the_first_two_months():
    from congress.presentation.brief import document_date, week_span

    assert document_date("Hải Phòng", dt.date(2026, 2, 3)) == "Hải Phòng, ngày 03 tháng 02 năm 2026"
    assert document_date("Hải Phòng", dt.date(2025, 11, 21)) == "Hải Phòng, ngày 21 tháng 11 năm 2025"
    assert week_span(dt.date(2025, 12, 29), dt.date(2026, 1, 4)) == "từ ngày 29/12/2025 đến ngày 4/1/2026"


def test_pilots_groups_and_next_seven_days(sample_db):
    text = brief_txt("--as-of", "2025-07-09")
    assert "- Đảng bộ phường Hải An: dự kiến ngày 23/7/2025 — đúng kế hoạch." in text
    # a group named by its number has no name column: "20  Tổ công tác số 20" would say it twice
    assert re.search(r"^ *20 +\d+/\d+ +[\d,]+% +86/122 ", text, re.M) and "Tổ công tác số 20" not in text
    planned = sql(
        sample_db,
        "SELECT count(*) FROM congress WHERE planned_on BETWEEN :first AND :last "
        "AND (held_on IS NULL OR held_on > :first)",
        first=dt.date(2025, 7, 9), last=dt.date(2025, 7, 15),
    )[0][0]
    assert f"(từ ngày 9/7 đến ngày 15/7/2025): {planned} đại hội." in text


def test_a_list_left_to_the_annex_points_only_to_what_the_annex_holds(sample_db):
    """Annex 1 lists committees; the city, at risk with them, is named in the body instead."""
    text = brief_txt("--as-of", "9/7/2025")
    at_risk = sum(1 for row in json_rows("status", "--at-risk", "--as-of", "9/7/2025", "--level", "committee"))
    assert (f"Danh sách {at_risk} đảng bộ trực thuộc: xem phụ lục 1, cột «Tình hình». "
            "Đảng bộ thành phố Hải Phòng: chưa có ngày dự kiến.") in text
    assert "PHỤ LỤC 1: DANH SÁCH ĐẢNG BỘ TRỰC THUỘC CHƯA TỔ CHỨC ĐẠI HỘI: 118" in text


def test_today_lists_the_overdue_by_working_group_and_says_the_pace_is_zero(sample_db):
    text = brief_txt()
    assert "1. Quá hạn: 6 tổ chức" in text
    assert "Đảng bộ xã Vĩnh Bảo (tổ 11): 2" in text and "Đảng bộ xã Ninh Giang (tổ 17): 2" in text
    assert "- Đảng bộ xã Vĩnh Bảo (tổ 11), dự kiến 28/8/2025: quá hạn chót, chưa tổ chức" in text
    assert re.search(r"Chi bộ thôn số 4, Vĩnh Bảo\s+18/07/2025\s+491\s+quá hạn chót, chưa tổ chức", text)
    # two committees never held and nobody held anything for two weeks: no date can be justified
    assert ("Còn 2 đảng bộ trực thuộc chưa tổ chức đại hội: 2 chưa có ngày dự kiến hoặc đã quá ngày dự kiến. "
            "Trong 14 ngày qua không có đảng bộ trực thuộc nào tổ chức đại hội, nên chưa đủ cơ sở") in text


def test_forecast_follows_the_plans_as_recorded_on_the_day(sample_db):
    text = brief_txt("--as-of", "2025-07-09")
    # every grassroots plan for July was recorded by 9/7: the plans alone say when they finish
    assert ("Còn 520 tổ chức cơ sở đảng chưa tổ chức đại hội: 520 có ngày dự kiến, muộn nhất ngày 31/7/2025. "
            "Dự báo hoàn thành ngày 31/7/2025: kịp mốc mục tiêu 20/8/2025.") in text


def test_html_is_one_printable_file_with_its_chart(sample_db):
    result = run("brief", "--as-of", "2025-07-09")
    html = result.stdout
    assert result.exit_code == 0
    assert "@page" in html and "size: A4" in html and "Liberation Serif" in html
    assert "1.325/1.845 (71,8%)" in html
    assert html.count("<svg") == 2  # committees and grassroots; the one-organisation city level has none
    assert "<link" not in html and "src=" not in html  # nothing to fetch: it prints offline


def test_html_escapes_names(sample_db):
    name = '<b>Chi bộ</b> & "X"'
    assert run("org", "edit", "X.VINHBAO.08", "--name", name).exit_code == 0
    html = run("brief").stdout
    assert "&lt;b&gt;Chi bộ&lt;/b&gt; &amp; &#34;X&#34;" in html
    assert "<b>Chi bộ</b>" not in html
    assert name in brief_txt()
    assert r'\<b\>Chi bộ\</b\> & "X"' in run("brief", "--format", "md").stdout


def test_pdf_is_a4_holds_the_headline_and_no_empty_page(sample_db, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "brief.pdf"
    result = run("brief", "--as-of", "2025-07-09", "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) >= 2
    texts = []
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
        texts.append(page.extract_text())
        assert len(texts[-1].split()) > 20, f"page {len(texts)} is (nearly) empty"
    whole = " ".join(" ".join(texts).split())
    assert "1.325/1.845 (71,8%) tổ chức cơ sở đảng tổ chức đại hội" in whole
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in whole


def pdf_pages(tmp_path, *args: str, env: dict | None = None) -> list:
    from pypdf import PdfReader

    out = tmp_path / "brief.pdf"
    result = run("brief", "--format", "pdf", "-o", str(out), *args, env=env)
    assert result.exit_code == 0, result.stderr
    return PdfReader(io.BytesIO(out.read_bytes())).pages


def pdf_fonts(resources) -> set[str]:
    """/BaseFont of every font a page or its forms (the charts) draw with, subset prefix dropped."""
    found = set()
    for font in resources.get("/Font", {}).values():
        found.add(font.get_object()["/BaseFont"].split("+")[-1])
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if "/Resources" in xobject:
            found |= pdf_fonts(xobject["/Resources"].get_object())
    return found


def vietnamese_serifs() -> str:
    try:
        return subprocess.run(["fc-list", ":lang=vi", "family"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return ""


SERIF = re.compile(r"(Liberation-?Serif|TimesNewRoman|Times-New-Roman)")


@pytest.mark.skipif(
    not re.search(r"Liberation Serif|Times New Roman", vietnamese_serifs()),
    reason="neither Times New Roman nor Liberation Serif 2.x (fonts-liberation2) covers Vietnamese here",
)
def test_pdf_prints_every_vietnamese_letter_in_one_serif(sample_db, tmp_path):
    fonts = set()
    for page in pdf_pages(tmp_path, "--as-of", "2025-07-09"):
        fonts |= pdf_fonts(page["/Resources"].get_object())
    assert fonts and all(SERIF.match(font) for font in fonts), fonts
    assert len({SERIF.match(font).group(1) for font in fonts}) == 1, fonts  # one family, in its styles


def test_page_numbers_from_the_second_page(sample_db, tmp_path):
    pages = pdf_pages(tmp_path, "--as-of", "2025-07-09")
    assert not re.search(r"^1$", pages[0].extract_text(), re.M)
    for number, page in enumerate(pages[1:], start=2):
        assert re.search(rf"^{number}( DỮ LIỆU MẪU)?$", page.extract_text(), re.M), number


@pytest.mark.parametrize("as_of", ["2025-07-09", "2025-08-03", "2025-08-21"])  # 3/8 once left it alone
def test_the_signature_never_stands_alone_on_the_last_page(sample_db, tmp_path, as_of):
    lines = pdf_pages(tmp_path, "--as-of", as_of, "--no-annex")[-1].extract_text().splitlines()
    signature = {"Nơi nhận:", "T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Nguyễn Văn An"}
    assert signature <= set(lines)
    rest = [line for line in lines if line not in signature and not line.startswith("- ")
            and not re.fullmatch(r"\d+( DỮ LIỆU MẪU)?", line)]
    assert len(" ".join(rest).split()) > 20, lines


def test_md_and_txt(sample_db, tmp_path):
    md = run("brief", "--as-of", "2025-07-09", "--format", "md").stdout
    assert "**ĐẢNG CỘNG SẢN VIỆT NAM**" in md and "1.325/1.845 (71,8%)" in md and "```" in md
    out = tmp_path / "brief.txt"
    result = run("brief", "--as-of", "2025-07-09", "--format", "txt", "-o", str(out))
    assert result.stdout == "" and "1.325/1.845 (71,8%)" in out.read_text(encoding="utf-8")


def test_no_sample_mark_outside_the_sample(empty_db):
    for key, value in [("issuer.name", "TỈNH ỦY"), ("place", "Nơi khác"), ("signer.name", "Người Ký")]:
        assert run("settings", "set", key, value).exit_code == 0
    text = brief_txt()
    assert "DỮ LIỆU MẪU" not in text and "Nơi khác, ngày 21 tháng 11 năm 2026" in text
    assert "Chưa có tổ chức nào trong sổ theo dõi." in text  # an empty register says so, not nothing


BAD = [
    (["--week", "2025-28"], "Tuần không hợp lệ"),
    (["--week", "2025-W54"], "không có tuần 54"),
    (["--as-of", "31/2/2025"], "Ngày không có thật"),
    (["--as-of", "hôm qua"], "Ngày không hợp lệ"),
    (["--date", "31/2/2025"], "Ngày không có thật"),
    (["--as-of", "9/7/2025", "--week", "2025-W28"], "Chỉ chọn một"),
    (["--format", "pdf"], "cần tệp ra"),
    (["-o", "no/such/folder/brief.html"], "Không ghi được tệp"),
]


@pytest.mark.parametrize("args, words", BAD)
def test_bad_input_is_refused_and_changes_nothing(sample_db, args, words):
    before = digest(sample_db)
    result = run("brief", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: ") and words in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(sample_db) == before


def test_bad_number_is_a_usage_error(sample_db):
    result = run("brief", "--number", "0")
    assert result.exit_code == 2 and "--number" in result.stderr


def test_missing_settings_are_named(empty_db):
    before = digest(empty_db)
    result = run("brief")
    assert result.exit_code == 1
    assert "issuer.name, place, signer.name" in result.stderr and "congress settings set" in result.stderr
    assert digest(empty_db) == before


def test_templates_ship_in_the_wheel_and_work_installed(sample_db, tmp_path):
    """Built and installed like a user would (not editable), then run from elsewhere."""
    source = tmp_path / "source"
    for part in ["congress", "templates", "data/sample"]:
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ["setup.cfg", "pyproject.toml", "README.md"]:
        shutil.copyfile(ROOT / part, source / part)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
         str(source)],
        check=True, capture_output=True,
    )
    wheel = next(wheels.glob("congress-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for name in ["brief.html.j2", "brief.css", "brief.md.j2", "brief.txt.j2"]:
        assert f"congress/templates/{name}" in names
    assert "congress/sample/settings.csv" in names
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    # -I: no user site, no PYTHONPATH, no current directory; the installed copy goes first on the path.
    code = f"import sys; sys.path.insert(0, {str(target)!r}); from congress.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-I", "-c", code, "--db", str(sample_db), "brief", "--as-of", "2025-07-09"],
        capture_output=True, text=True, cwd=tmp_path, env={"CONGRESS_TODAY": "2026-11-21", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "1.325/1.845 (71,8%)" in result.stdout and "@page" in result.stdout
    probe = code.replace("from congress.cli import main; main()",
                         "from importlib import resources; print(resources.files('congress.templates'))")
    found = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert found.stdout.strip() == str(target / "congress" / "templates")


# --- §3: what leadership needs on the first page ------------------------------------------------


def test_the_city_is_described_by_its_own_congress(sample_db):
    text = brief_txt("--as-of", "21/8/2025")
    progress = text.split("V. CÔNG TÁC CHUẨN BỊ")[0]  # the results' own shares may well be 0,0%
    assert "(0,0%)" not in progress and "đảng bộ tỉnh, thành phố tổ chức đại hội" not in text
    assert "Đảng bộ thành phố Hải Phòng: Chưa có ngày dự kiến tổ chức đại hội (Đại hội lần thứ I, 26–27/9/2025)." in text
    assert "Đảng bộ thành phố Hải Phòng: Dự kiến tổ chức đại hội ngày 26/9/2025" in brief_txt("--as-of", "20/9/2025")
    assert "Đảng bộ thành phố Hải Phòng: Đã tổ chức đại hội ngày 26/9/2025" in brief_txt("--as-of", "30/9/2025")


def test_committees_not_done_are_listed_one_line_each(sample_db):
    text = brief_txt("--as-of", "21/8/2025")
    open_on_day = sql(
        sample_db,
        "SELECT o.name FROM organisation o JOIN congress c ON c.organisation_id = o.id AND c.round_id = 1 "
        "WHERE o.level = 'committee' AND (c.held_on IS NULL OR c.held_on > :day)", day=dt.date(2025, 8, 21),
    )
    assert f"Đảng bộ trực thuộc chưa tổ chức đại hội: {len(open_on_day)}" in text
    lines = text.split("Đảng bộ trực thuộc chưa tổ chức đại hội:")[1].split("III.")[0].splitlines()
    for (name,) in open_on_day:
        assert len([line for line in lines if line.startswith(name + " ")]) == 1, name
    assert re.search(r"^Đảng bộ xã Vĩnh Bảo +11 +28/08/2025 +10/12 +chậm so với mục tiêu$", text, re.M)


def test_overdue_committees_are_named(sample_db):
    # held dates keep today's knowledge: unlogged now, the committee is past its deadline in December
    sql(sample_db, "UPDATE congress SET held_on = NULL WHERE organisation_id = "
        "(SELECT id FROM organisation WHERE name = 'Đảng bộ xã Vĩnh Bảo')")
    for fmt in ("txt", "md"):
        text = run("brief", "--as-of", "10/12/2025", "--format", fmt).stdout
        assert "Đảng bộ xã Vĩnh Bảo (tổ 11), dự kiến 28/8/2025: quá hạn chót, chưa tổ chức" in text
    html = run("brief", "--as-of", "10/12/2025", "--format", "html").stdout
    overdue = html.split("1. Quá hạn:")[1].split("2. Chậm")[0]
    assert '<td class="left">Đảng bộ xã Vĩnh Bảo</td><td class="center">11</td><td class="center">28/08/2025</td>' in overdue


def test_week_changes_count_a_vietnam_week_per_working_group(sample_db):
    from congress.read.progress import Progress, WeekChanges
    from congress.store.sql import Store, sql_moment

    def change(at, group, action, field, new):
        sql(sample_db, "INSERT INTO change (at, \"user\", working_group, action, field, new_value, round_id) "
            "VALUES (:at, 'test', :group, :action, :field, :new, 1)",
            at=sql_moment(dt.datetime.fromisoformat(at)), group=group, action=action, field=field, new=new)

    # The week of 10/12/2025 runs from 4/12 00:00 to 10/12 23:59 in Vietnam: 3/12 17:00 to 10/12 17:00 UTC.
    change("2025-12-03 16:59:59", 3, "log", "held_on", "2025-12-01")  # 3/12 in Vietnam: the week before
    change("2025-12-03 17:00:00", 3, "log", "held_on", "2025-12-01")
    change("2025-12-05 02:00:00", 3, "schedule", "planned_on", "2025-12-20")
    change("2025-12-05 03:00:00", 3, "schedule", "planned_on", "2025-12-22")
    change("2025-12-06 03:00:00", 3, "unlog", "held_on", None)
    change("2025-12-07 03:00:00", None, "undo", "held_on", None)
    change("2025-12-08 03:00:00", 5, "org.edit", "name", "X")  # not a congress date
    change("2025-12-10 16:59:59", 5, "log", "held_on", "2025-12-10")
    change("2025-12-10 17:00:00", 5, "log", "held_on", "2025-12-11")  # 11/12 in Vietnam: the week after
    with Store.open(str(sample_db)) as store:
        found = Progress(store, dt.date(2025, 12, 10), today=dt.date(2025, 12, 11)).week_changes(
            dt.date(2025, 12, 4), dt.date(2025, 12, 10))
    assert found == [WeekChanges(3, 1, 2, 1), WeekChanges(5, 1, 0, 0), WeekChanges(None, 0, 0, 1)]
    text = brief_txt("--as-of", "10/12/2025")
    assert ("sổ theo dõi ghi nhận 2 đại hội đã tổ chức, 2 lần đặt hoặc đổi ngày dự kiến, 2 lần rút lại ghi nhận "
            "(Văn phòng trực tiếp cập nhật: 0 ghi nhận, 0 đặt hoặc đổi ngày, 1 rút lại)") in text
    assert re.search(r"^ +3 .* 1 +2 +1$", text, re.M) and re.search(r"^ +5 .* 1 +0 +0$", text, re.M)


# --- §4: compact lists, an annex at scale -------------------------------------------------------


def test_overdue_grassroots_are_one_table_grouped_by_committee(sample_db):
    text = brief_txt()
    table = text.split("Tổ chức cơ sở đảng quá hạn: 4, theo đảng bộ trực thuộc\n")[1].split("\n\n")[0].splitlines()
    assert table[0].split() == ["Tổ", "chức", "cơ", "sở", "đảng", "Ngày", "dự", "kiến", "Quá", "hạn", "(ngày)", "Lý", "do"]
    assert [line.strip() for line in table[2:]][::3] == ["Đảng bộ xã Vĩnh Bảo (tổ 11): 2", "Đảng bộ xã Ninh Giang (tổ 17): 2"]
    assert len(table) == 2 + 2 + 4  # heading, rule, a line per committee, a line per organisation


def test_a_long_list_goes_to_the_annex_or_is_left_out(sample_db):
    # 9/7/2025: 118 committees not held, past the 50 rows the body holds
    html = run("brief", "--as-of", "9/7/2025", "--format", "html").stdout
    body, annex = html.split('<section class="annex">', 1)
    assert "Danh sách 118 tổ chức in tại phụ lục." in body
    assert "Phụ lục 1: danh sách đảng bộ trực thuộc chưa tổ chức đại hội: 118" in annex
    assert annex.split("<h2>Phụ lục 2")[0].count("<tr><td class=\"left\">") == 118
    assert annex.index("Phụ lục 1") > html.index("Nơi nhận:") - len(body)  # after the signature
    left_out = run("brief", "--as-of", "9/7/2025", "--format", "txt", "--no-annex").stdout
    assert "PHỤ LỤC" not in left_out
    assert "Danh sách 118 tổ chức không in kèm báo cáo này." in left_out


def test_the_office_sets_how_long_a_list_the_body_holds(sample_db):
    assert run("settings", "set", "brief.annex_rows", "ba mươi").exit_code == 1
    assert run("settings", "set", "brief.annex_rows", "200").exit_code == 0
    text = brief_txt("--as-of", "9/7/2025")
    assert "PHỤ LỤC" not in text and "Đảng bộ trực thuộc chưa tổ chức đại hội: 118" in text


def test_the_brief_stays_within_four_pages_at_scale(sample_db, tmp_path):
    # every committee and grassroots congress unlogged: 1.963 organisations overdue in December
    sql(sample_db, "UPDATE congress SET held_on = NULL WHERE organisation_id IN "
        "(SELECT id FROM organisation WHERE level IN ('grassroots', 'committee'))")
    pages = pdf_pages(tmp_path, "--as-of", "10/12/2025", "--no-annex")
    assert len(pages) <= 4
    whole = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Quá hạn: 1.963 tổ chức" in whole
    assert "Danh sách 1.845 tổ chức không in kèm báo cáo này." in whole
    assert "Nguyễn Văn An" in pages[-1].extract_text()


def test_the_annex_starts_after_a_body_of_at_most_four_pages(sample_db, tmp_path):
    pages = pdf_pages(tmp_path, "--as-of", "9/7/2025")
    first = next(i for i, page in enumerate(pages) if "Phụ lục 1: danh sách" in page.extract_text())
    assert first <= 4 and "Nguyễn Văn An" in pages[first - 1].extract_text()


# --- §6: the brief for one working group --------------------------------------------------------


@pytest.mark.parametrize("day", ["9/7/2025", "3/8/2025", "21/8/2025"])
@pytest.mark.parametrize("group", ["11", "17"])
def test_a_group_brief_says_what_status_says_for_that_group(sample_db, day, group):
    import json

    summary = json.loads(run("status", "--group", group, "--as-of", day, "--format", "json").stdout)
    for fmt in ("txt", "md", "html"):
        text = run("brief", "--group", group, "--as-of", day, "--format", fmt).stdout
        assert f"(các tổ chức do Tổ công tác số {group} phụ trách)" in text
        assert "Đảng bộ thành phố Hải Phòng" not in text  # the city is no group's
        for level in summary["levels"]:
            assert (f"đã có {vn_number(level['held'])}/{vn_number(level['total'])} ({level['percent_text']}) "
                    f"{level['label'].lower()}") in text
        assert f"Quá hạn: {vn_number(summary['counts']['overdue'])} tổ chức" in text
        assert f"nguy cơ chậm (chưa có ngày dự kiến hoặc dự kiến sau mốc mục tiêu): " \
               f"{vn_number(summary['counts']['at_risk'])} tổ chức" in text
    [row] = summary["working_groups"]
    txt = brief_txt("--group", group, "--as-of", day)
    assert re.search(rf"^ *{group} +{row['committees_held']}/{row['committees']} +"
                     rf"{re.escape(row['committees_percent'])} +", txt, re.M)


def vn_number(n: int) -> str:
    from congress.domain import vn

    return vn.number(n)


def test_an_unknown_group_is_refused(sample_db):
    result = run("brief", "--group", "99")
    assert result.exit_code == 1 and "99" in result.stderr


# --- §5: the sections the office writes, and Word ----------------------------------------------

NOTES = """# 1. Đánh giá chung

Các đảng bộ trực thuộc cơ bản bám sát kế hoạch;
còn 7 đảng bộ chậm so với mốc mục tiêu.

III. DE XUAT, KIEN NGHI:
- Đề nghị làm việc với Đảng bộ xã <Vĩnh Bảo>.
- Đề nghị các tổ công tác báo cáo trước thứ Sáu.
"""


def test_notes_go_to_their_sections_in_every_format(sample_db, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    for fmt in ("txt", "md", "html"):
        text = run("brief", "--as-of", "21/8/2025", "--format", fmt, "--notes", str(notes)).stdout
        upper = text.upper()
        general, proposals = upper.index("VII. ĐÁNH GIÁ CHUNG"), upper.index("VIII. ĐỀ XUẤT, KIẾN NGHỊ")
        assert upper.index("VI. KẾT QUẢ ĐẠI HỘI") < general < proposals < upper.index("NƠI NHẬN")
        assert "Các đảng bộ trực thuộc cơ bản bám sát kế hoạch; còn 7 đảng bộ chậm so với mốc mục tiêu." in text
        assert "NHIỆM VỤ TRỌNG TÂM TUẦN TỚI" not in text  # not written, so not printed
    html = run("brief", "--as-of", "21/8/2025", "--notes", str(notes)).stdout
    assert "<p>- Đề nghị làm việc với Đảng bộ xã &lt;Vĩnh Bảo&gt;.</p>" in html


def test_without_notes_the_sections_are_left_out(sample_db):
    text = brief_txt("--as-of", "21/8/2025")
    assert "ĐÁNH GIÁ CHUNG" not in text and "ĐỀ XUẤT" not in text and "\nVII. " not in text


@pytest.mark.parametrize("notes, words", [
    ("# Tình hình chung\nx\n", "Tiêu đề «Tình hình chung» (dòng 1) không phải phần nào của báo cáo"),
    ("Lời mở đầu\n# Đánh giá chung\nx\n", "Dòng 1 của tệp ghi chú nằm trước mọi tiêu đề"),
    ("# Đánh giá chung\nx\n## danh gia chung\ny\n", "hai lần tiêu đề «Đánh giá chung» (dòng 3)"),
])
def test_notes_with_an_unknown_heading_are_refused(sample_db, tmp_path, notes, words):
    path = tmp_path / "notes.txt"
    path.write_text(notes, encoding="utf-8")
    before = digest(sample_db)
    result = run("brief", "--notes", str(path))
    assert result.exit_code == 1 and words in result.stderr and result.stdout == ""
    assert digest(sample_db) == before


def test_docx_is_an_editable_a4_word_document(sample_db, tmp_path):
    from docx import Document
    from docx.shared import Mm

    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    out = tmp_path / "brief.docx"
    result = run("brief", "--as-of", "3/8/2025", "--date", "4/8/2025", "--number", "12", "--format", "docx",
                 "-o", str(out), "--notes", str(notes))
    assert result.exit_code == 0, result.stderr
    doc = Document(str(out))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt == 14
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "tiến độ tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025–2030" in text
    assert "đã có 1.825/1.845 (98,9%) tổ chức cơ sở đảng tổ chức đại hội" in text
    assert text.index("VII. ĐÁNH GIÁ CHUNG") < text.index("VIII. ĐỀ XUẤT, KIẾN NGHỊ")
    assert "Phụ lục 1: danh sách đảng bộ trực thuộc chưa tổ chức đại hội: 116" in text
    header = doc.tables[0]
    assert header.style is None or header.style.name == "Normal Table"  # borderless
    cells = [cell.text for cell in header.rows[0].cells]
    assert "THÀNH ỦY" in cells[0] and "Số 12-BC/TU" in cells[0]
    assert cells[1] == "ĐẢNG CỘNG SẢN VIỆT NAM\nHải Phòng, ngày 04 tháng 8 năm 2025"
    groups = next(t for t in doc.tables if t.rows[0].cells[0].text == "Tổ")
    assert len(groups.rows) == 1 + 20 and groups.rows[11].cells[0].text == "11"
    overdue = next(t for t in doc.tables if t.rows[0].cells[0].text == "Tổ chức cơ sở đảng")
    assert "Đảng bộ phường Hòa Bình (tổ 1): 2" in [row.cells[0].text for row in overdue.rows]
    # the committees not yet done, whole, in an annex table
    assert any(len(table.rows) == 1 + 116 and table.rows[0].cells[0].text == "Đảng bộ trực thuộc"
               for table in doc.tables)
    assert len(doc.inline_shapes) == 2  # the two charts, as pictures
    assert doc.inline_shapes[0].width <= Mm(165)


def test_docx_needs_an_output_file(sample_db):
    result = run("brief", "--format", "docx")
    assert result.exit_code == 1 and "Định dạng docx cần tệp ra" in result.stderr


def test_docx_charts_are_pictures_of_the_brief_s_own_charts(sample_db, tmp_path):
    import zipfile

    from docx import Document
    from PIL import Image

    out = tmp_path / "brief.docx"
    assert run("brief", "--as-of", "3/8/2025", "--format", "docx", "-o", str(out)).exit_code == 0
    assert len(Document(str(out)).inline_shapes) == 2
    with zipfile.ZipFile(out) as docx:
        pictures = [Image.open(io.BytesIO(docx.read(n))) for n in docx.namelist() if n.startswith("word/media/")]
    assert [p.size[0] for p in pictures] == [1600, 1600]
    for picture in pictures:  # drawn on, in black and greys only (printed in black and white)
        colours = {c for _, c in picture.convert("RGB").getcolors(1 << 20)}
        assert (255, 255, 255) in colours and min(sum(c) for c in colours) < 100
        assert all(max(c) - min(c) <= 2 for c in colours)


def test_the_chart_font_carries_every_vietnamese_letter():
    """A letter the font lacks prints as its empty box: the picture's words would lose their vowels."""
    from congress.presentation.raster import _serif

    from PIL import Image, ImageDraw

    font = _serif(40)

    def drawn(letter: str) -> bytes:
        image = Image.new("L", (60, 60), 0)
        ImageDraw.Draw(image).text((5, 50), letter, fill=255, font=font, anchor="ls")
        return image.tobytes()

    missing = drawn("\U0010fffd")  # a code point no font has: the box
    for letter in "ơưạẫỹđĐỨ":
        assert drawn(letter) != missing, letter


@pytest.mark.parametrize("points, pattern, pieces", [
    ([(0, 0), (10, 0)], [2, 3], [[(0, 0), (2, 0)], [(5, 0), (7, 0)]]),
    ([(0, 0), (11, 0)], [2, 3], [[(0, 0), (2, 0)], [(5, 0), (7, 0)], [(10, 0), (11, 0)]]),
    ([(0, 0), (4, 0)], [10, 1], [[(0, 0), (4, 0)]]),
    # the pattern runs on across a corner, as SVG draws it
    ([(0, 0), (3, 0), (3, 3)], [4, 2], [[(0, 0), (3, 0), (3, 1)]]),
    ([(0, 0), (0, 6)], [1, 1], [[(0, 0), (0, 1)], [(0, 2), (0, 3)], [(0, 4), (0, 5)]]),
])
def test_dashes_fall_where_svg_puts_them(points, pattern, pieces):
    from congress.presentation.raster import _dashed

    found = [[(round(x, 6), round(y, 6)) for x, y in piece] for piece in _dashed(points, pattern)]
    assert found == pieces


def test_many_working_groups_go_to_the_annex_too(sample_db):
    assert run("settings", "set", "brief.annex_rows", "10").exit_code == 0
    text = brief_txt("--as-of", "21/8/2025")
    assert "Danh sách 20 tổ công tác in tại phụ lục." in text
    annex = text.split("PHỤ LỤC 1: DANH SÁCH TIẾN ĐỘ THEO TỔ CÔNG TÁC: 20 TỔ")[1]
    assert re.search(r"^ +11 +Tổ công tác số 11 +5/6 +83,3% +80/82 +97,6% +2 ", annex, re.M) is None  # names left out
    assert re.search(r"^ +11 +5/6 +83,3% +80/82 +97,6% +2 ", annex, re.M)


# --- what paper may say ---------------------------------------------------------------------------

# A command, an option or the program's name: what a clerk types, never what leadership reads.
COMMAND_WORDS = re.compile(r"\bcongress\b|(?<![\w-])--[a-z][a-z-]*|«[^»]*(?:status|export|xlsx)[^»]*»", re.IGNORECASE)


def printed_text(fmt: str, tmp_path: Path, *args: str) -> str:
    """What a reader of the brief sees in `fmt`: the text of the page, not the markup around it."""
    from docx import Document

    if fmt in ("pdf", "docx"):
        out = tmp_path / f"brief.{fmt}"
        result = run("brief", "--format", fmt, "-o", str(out), "--force", *args)
        assert result.exit_code == 0, result.stderr
        if fmt == "pdf":
            from pypdf import PdfReader

            return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
        doc = Document(str(out))
        cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
        headers = [p.text for section in doc.sections for header in (section.header, section.first_page_header)
                   for p in header.paragraphs]
        return "\n".join([p.text for p in doc.paragraphs] + cells + headers)
    result = run("brief", "--format", fmt, *args)
    assert result.exit_code == 0, result.stderr
    if fmt == "html":
        body = re.sub(r"<style.*?</style>|<svg.*?</svg>", "", result.stdout, flags=re.S)
        return re.sub(r"<[^>]+>", " ", body)
    return result.stdout


@pytest.mark.parametrize("args", [
    ["--as-of", "9/7/2025"], ["--as-of", "20/7/2025"], ["--as-of", "3/8/2025"], ["--as-of", "21/8/2025"],
    ["--as-of", "3/8/2025", "--no-annex"], ["--as-of", "3/8/2025", "--group", "17"],
    ["--as-of", "9/7/2025", "--group", "11", "--no-annex"],
], ids=" ".join)
@pytest.mark.parametrize("fmt", ["html", "md", "txt", "docx"])
def test_paper_names_no_command_option_or_program(sample_db, tmp_path, fmt, args):
    text = printed_text(fmt, tmp_path, *args)
    assert "Đảng bộ" in text  # the brief itself, not an error
    assert not COMMAND_WORDS.findall(text)


@pytest.mark.parametrize("args", [["--as-of", "3/8/2025"], ["--as-of", "10/12/2025", "--no-annex"]])
def test_the_pdf_names_no_command_either(sample_db, tmp_path, args):
    if args[-1] == "--no-annex":  # every list too long for the body
        sql(sample_db, "UPDATE congress SET held_on = NULL WHERE organisation_id IN "
            "(SELECT id FROM organisation WHERE level IN ('grassroots', 'committee'))")
    text = printed_text("pdf", tmp_path, *args)
    assert ("Danh sách 1.845 tổ chức không in kèm báo cáo này." in " ".join(text.split())) is (args[-1] == "--no-annex")
    assert not COMMAND_WORDS.findall(text)


def test_a_busy_day_ahead_says_where_its_committees_are_listed(sample_db):
    """3/8/2025: 12 committees planned on 8/8, counted, with the annex that lists them and their dates."""
    text = brief_txt("--as-of", "3/8/2025")
    assert "12 đảng bộ trực thuộc (tên và ngày dự kiến: phụ lục 1)" in text
    left_out = brief_txt("--as-of", "3/8/2025", "--no-annex")  # nowhere else to look: named
    assert "Đảng bộ phường Nam Đồ Sơn, Đảng bộ phường Phù Liễn" in left_out


@pytest.mark.parametrize("sample", [True, False])
def test_docx_is_vietnamese_numbered_and_marked_as_the_pdf(sample_db, tmp_path, sample):
    """Read back from the XML: vi-VN in the defaults and every style, a PAGE field in the header of every
    page but the first (as brief.css numbers the PDF), and the sample mark on every page."""
    if not sample:
        sql(sample_db, "DELETE FROM setting WHERE key = 'sample'")
    assert (run("brief", "--as-of", "3/8/2025", "--format", "txt").stdout.count("DỮ LIỆU MẪU") > 0) is sample
    out = tmp_path / "brief.docx"
    assert run("brief", "--as-of", "3/8/2025", "--format", "docx", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as docx:
        parts = {name: docx.read(name).decode() for name in docx.namelist() if name.endswith((".xml", ".rels"))}
    for name in ("word/styles.xml", "word/stylesWithEffects.xml"):
        langs = re.findall(r"<w:lang [^>]*>", parts[name])
        assert langs and all('w:val="vi-VN"' in lang for lang in langs), langs
    assert re.search(r"<w:docDefaults>.*<w:lang [^>]*w:val=\"vi-VN\".*</w:docDefaults>", parts["word/styles.xml"], re.S)
    assert "en-US" not in parts["word/styles.xml"] + parts["word/settings.xml"]
    document = parts["word/document.xml"]
    assert "<w:titlePg/>" in document  # the first page has a header of its own
    relations = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', parts["word/_rels/document.xml.rels"]))
    headers = {kind: parts["word/" + relations[rid]]
               for kind, rid in re.findall(r'<w:headerReference w:type="(\w+)" r:id="(rId\d+)"', document)}
    assert set(headers) == {"default", "first"}
    assert "PAGE" in headers["default"] and "fldChar" in headers["default"]
    assert "PAGE" not in headers["first"]
    for header in headers.values():
        assert ("DỮ LIỆU MẪU" in header) is sample


# --- sentences said once, and said properly ---------------------------------------------------------

@pytest.mark.parametrize("day", ["9/7/2025", "20/7/2025", "3/8/2025", "21/8/2025", "21/11/2026"])
def test_sentences_say_each_thing_once_and_properly(sample_db, day):
    for fmt in ("txt", "md"):
        text = run("brief", "--as-of", day, "--format", fmt).stdout
        assert "có thêm 0 " not in text
        assert not re.search(r"(?<!ngày )dự kiến chưa có", text) and "(tổ —)" not in text
        assert "— có nguy cơ chậm — chưa có ngày dự kiến" not in text
        assert "Đảng bộ cấp trên cơ sở" not in text and "2025 – 2030" not in text
        assert not re.search(r"từ ngày 0\d/", text)  # a span writes its days as the body does: 3/8/2025


def test_a_pilot_without_a_plan_says_so_once(sample_db):
    text = brief_txt("--as-of", "9/7/2025")
    assert "- Đảng bộ xã Gia Lộc: chưa có ngày dự kiến — có nguy cơ chậm." in text
    later = brief_txt("--as-of", "3/8/2025")
    assert "- Đảng bộ xã An Trường (tổ 9): chưa có ngày dự kiến\n" in later
    assert "- Đảng bộ xã Nguyên Giáp (tổ 17), dự kiến 23/8/2025: ngày dự kiến sau mốc mục tiêu\n" in later


def test_no_congress_expected_this_month_is_said_in_words(sample_db):
    text = brief_txt("--as-of", "3/8/2025")
    assert ("Trong số 20 tổ chức cơ sở đảng chưa tổ chức đại hội, chưa có tổ chức cơ sở đảng nào dự kiến "
            "tổ chức từ nay đến hết tháng 8/2025.") in text
    assert "dự kiến có thêm 109 trong số 116 đảng bộ trực thuộc chưa tổ chức đại hội" in text


def test_one_way_to_write_a_span_and_the_term(sample_db):
    text = brief_txt("--as-of", "3/8/2025")
    assert "nhiệm kỳ 2025–2030" in text and "(Đại hội lần thứ I, 26–27/9/2025)" in text
    assert "(từ ngày 28/7 đến ngày 3/8/2025)" in text and "(từ ngày 3/8 đến ngày 9/8/2025)" in text
    html = run("brief", "--as-of", "3/8/2025").stdout
    assert "<th>Ngày</th><th>Đảng bộ</th><th>Tổ chức cơ sở đảng</th>" in html


def _section(text: str, first: str, after: str) -> str:
    return text.split(first, 1)[1].split(after, 1)[0]


@pytest.mark.parametrize("day", ["2025-07-09", "2025-08-03", "2025-08-21"])
def test_preparation_and_results_say_what_status_says(sample_db, tmp_path, day):
    """V. Công tác chuẩn bị and VI. Kết quả đại hội: the figures of status --preparation and --results, in
    txt, html, pdf and docx alike."""
    from docx import Document

    env = {"CONGRESS_TODAY": day}
    behind = json.loads(run("status", "--preparation", "--format", "json", env=env).stdout)
    results = {r["level"]: r for r in json.loads(run("status", "--results", "--format", "json", env=env).stdout)["levels"]}
    sentence = f"{vn_number(len(behind))} đại hội chậm chuẩn bị"
    grassroots = results["grassroots"]
    women = (f"nữ {vn_number(grassroots['women'])}/{vn_number(grassroots['women_of'])}"
             f" ({str(grassroots['women_percent']).replace('.', ',')}%)")
    by_step = {}
    for row in behind:
        for step in row["missing"]:
            by_step[step["name"]] = by_step.get(step["name"], 0) + 1
    out = tmp_path / "brief.docx"
    assert run("brief", "--format", "docx", "-o", str(out), env=env).exit_code == 0
    word = Document(str(out))
    # the body in order, each table where it stands (python-docx lists paragraphs and tables apart)
    docx = "\n".join(" ".join(block.itertext()) for block in word.element.body.iterchildren())
    pdf = "".join(page.extract_text() for page in pdf_pages(tmp_path, env=env)) if day == "2025-08-21" else None
    for fmt, text in (("txt", run("brief", "--format", "txt", env=env).stdout),
                      ("html", run("brief", "--format", "html", env=env).stdout), ("docx", docx), ("pdf", pdf)):
        if text is None:
            continue
        flat = " ".join(text.split())
        preparation = _section(flat, "V. CÔNG TÁC CHUẨN BỊ", "VI. ")
        assert sentence in preparation, fmt
        for name, count in by_step.items():
            assert f"{name} ({count})" in preparation, (fmt, name)
        if len(behind) <= 6:  # few: each named in the body
            assert all(row["name"] in preparation for row in behind), fmt
        else:
            assert f"Danh sách {len(behind)} tổ chức in tại phụ lục." in preparation, fmt
        assert women in flat and f"đã đại hội {vn_number(grassroots['held'])};" in flat, fmt


def test_a_group_brief_shows_its_own_preparation_and_results(sample_db):
    env = {"CONGRESS_TODAY": "2025-08-21"}
    mine = json.loads(run("status", "--preparation", "--group", "11", "--format", "json", env=env).stdout)
    results = json.loads(run("status", "--results", "--group", "11", "--format", "json", env=env).stdout)["levels"]
    text = " ".join(run("brief", "--format", "txt", "--group", "11", env=env).stdout.split())
    assert f"{len(mine)} đại hội chậm chuẩn bị" in text
    assert all(row["name"] in text for row in mine)
    grassroots = {r["level"]: r for r in results}["grassroots"]
    assert f"Tổ chức cơ sở đảng: đã đại hội {vn_number(grassroots['held'])};" in text
