"""The light read path prints, byte for byte, what the read path printed before it (tests/read_outputs.py
says how the record was made): every read command, on the sample (on both backends) and on the national
bench database, at four days of the round."""
import json
from pathlib import Path

from conftest import run, sqlite_only
from read_outputs import NATIONAL, SAMPLE, national, outputs

RECORD = json.loads((Path(__file__).parent / "golden" / "read-outputs.json").read_text())


def _differences(found: dict, recorded: dict) -> list[str]:
    assert found.keys() == recorded.keys()
    return [name for name in recorded if found[name] != recorded[name]]


def test_the_sample_prints_what_it_printed(sample_db):
    assert _differences(outputs(str(sample_db), SAMPLE), RECORD["sample"]) == []


@sqlite_only
def test_the_national_database_prints_what_it_printed(tmp_path):
    assert _differences(outputs(national(str(tmp_path)), NATIONAL), RECORD["national"]) == []


def test_the_record_covers_every_read_command():
    """A read command added later gets its line in the record too."""
    covered = {args[0] for _, args in SAMPLE}
    assert covered >= {"status", "org", "pilots", "history", "round", "group"}
    assert len(RECORD["sample"]) == len(SAMPLE) * 4 and len(RECORD["national"]) == len(NATIONAL) * 4


def test_a_changed_byte_is_seen(sample_db):
    """The comparison can fail: one renamed organisation changes the recorded listing."""
    name = "overdue @ 3/8/2025"
    listed = run("status", "--overdue", "--as-of", "3/8/2025", "--format", "json")
    code = json.loads(listed.stdout)[0]["code"]
    assert run("org", "edit", code, "--name", "Chi bộ đổi tên để thử").exit_code == 0
    found = outputs(str(sample_db), [(n, a) for n, a in SAMPLE if name.startswith(n + " @")])
    assert found[name] != RECORD["sample"][name]
