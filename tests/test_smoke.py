from conftest import run


def test_status_reproduces_the_reported_figures(sample_db):
    result = run("status", "--as-of", "2025-07-09", "--level", "grassroots")
    assert result.exit_code == 0
    assert "1.325" in result.stdout and "1.845" in result.stdout and "71,8%" in result.stdout
    assert "520" in result.stdout
