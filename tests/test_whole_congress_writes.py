"""The whole congress, its writes: a preparation step done or withdrawn, a result in parts, the round's steps.
Each refusal is one Vietnamese line, a non-zero exit and the database unchanged."""
import pytest

from conftest import digest, run, sql


def test_a_step_done_then_withdrawn_is_in_history(sample_db):
    done = run("step", "X.VINHBAO.08", "nhan-su", "--done", "8/7/2025", "--note", "Thành ủy đã cho ý kiến")
    assert done.exit_code == 0, done.stderr
    assert sql(sample_db, "SELECT cs.done_on FROM congress_step cs JOIN organisation o ON o.id = cs.organisation_id"
                          " JOIN preparation_step s ON s.id = cs.step_id"
                          " WHERE o.code = 'X.VINHBAO.08' AND s.code = 'nhan-su'")[0][0] is not None
    assert sql(sample_db, "SELECT count(*) FROM change WHERE action = 'step' AND field = 'step:nhan-su'"
                          " AND new_value = '2025-07-08' AND author IS NOT NULL") == [(1,)]  # the sample's have none
    withdrawn = run("step", "X.VINHBAO.08", "nhan-su", "--undone", "--reason", "ghi nhầm đơn vị")
    assert withdrawn.exit_code == 0, withdrawn.stderr
    assert sql(sample_db, "SELECT old_value, new_value, note FROM change WHERE action = 'unstep' AND author IS NOT NULL") == [
        ("2025-07-08", None, "ghi nhầm đơn vị")]


def test_a_result_arrives_in_parts(sample_db):
    first = run("result", "P.HAIAN", "--committee", "33", "--committee-by", "appointed")
    assert first.exit_code == 0, first.stderr
    second = run("result", "P.HAIAN", "--women", "9", "--present", "197")
    assert second.exit_code == 0, second.stderr
    assert sql(sample_db, "SELECT committee_members, committee_by, women, delegates, present FROM congress c"
                          " JOIN organisation o ON o.id = c.organisation_id WHERE o.code = 'P.HAIAN'") == [
        (33, "appointed", 9, 198, 197)]
    assert sql(sample_db, "SELECT count(*) FROM change c JOIN organisation o ON o.id = c.organisation_id"
                          " WHERE o.code = 'P.HAIAN' AND action = 'result' AND author IS NOT NULL") == [(3,)]  # committee_by was appointed already: no row


def test_round_steps_lists_the_default_steps(sample_db):
    listed = run("round", "steps", "--format", "csv")
    assert listed.exit_code == 0, listed.stderr
    codes = [line.split(",")[0] for line in listed.stdout.splitlines()[1:]]
    assert codes == ["van-kien", "gop-y", "nhan-su", "tham-dinh", "trieu-tap"]


REFUSED = [
    # (args, words the one line holds)
    (["step", "X.VINHBAO.08", "nhan-su", "--done", "22/11/2026"], "chưa đến"),
    (["step", "X.VINHBAO.08", "nhan-su", "--done", "1/1/2024"], "nhiệm kỳ"),
    (["step", "P.HAIAN.01", "nhan-su", "--done", "1/6/2025"], "13/05/2025"),
    (["step", "X.VINHBAO.08", "khong-co"], "Không có bước chuẩn bị «khong-co»; các bước: van-kien"),
    (["step", "X.VINHBAO.08", "nhan-su", "--undone", "--reason", "nhầm"], "chưa"),
    (["step", "X.VINHBAO.08", "van-kien", "--undone", "--reason", "  "], "lý do"),
    (["step", "X.VINHBAO.08", "nhan-su", "--group", "1"], "không thuộc tổ công tác số 1"),
    (["result", "X.VINHBAO.08", "--delegates", "50"], "chưa tổ chức đại hội"),
    (["result", "P.HAIAN.01", "--women", "10"], "(10)"),
    (["result", "P.HAIAN.01", "--committee", "8", "--standing", "9"], "(9)"),
    (["result", "P.HAIAN.01", "--present", "136"], "(136)"),
    (["result", "P.HAIAN.01", "--delegates", "-3"], "-3"),
    (["result", "P.HAIAN.01", "--delegates", "100001"], "100.000"),
    (["result", "P.HAIAN.01"], "Cần"),
    (["round", "step", "nhan-su", "--remove"], "--retire"),
]


@pytest.mark.parametrize("args, words", REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_refused_without_change(sample_db, args, words):
    before = digest(sample_db)
    result = run(*args)
    assert result.exit_code == 1, result.stdout
    assert words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert digest(sample_db) == before


def test_the_database_refuses_a_result_that_cannot_be_true(sample_db):
    """rules.result_fits_sql as the congress table's CHECK: a script writing past the register is refused too."""
    with pytest.raises(Exception, match="(?i)check"):
        sql(sample_db, "UPDATE congress SET women = committee_members + 1 WHERE committee_members IS NOT NULL")
