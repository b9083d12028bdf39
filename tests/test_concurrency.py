"""Twenty working groups logging at once: nothing lost, no "database is locked", one winner per race."""
import json
import os
import subprocess
import sys
import textwrap

from sqlalchemy import text

from congress.store.database import make_engine
from conftest import run

WORKERS, EACH, RACERS = 20, 50, 4

# One process per working group: each logs its own 50 organisations, one command at a time,
# exactly as `congress log` does (the CLI's own main, in a loop, so 50 logs don't cost 50 starts).
WORKER = textwrap.dedent("""
    import sys
    from congress.cli import main
    failures = []
    for code in sys.argv[1:]:
        try:
            main(["log", code, "--held", "1/11/2026"], standalone_mode=False)
        except SystemExit as stop:
            if stop.code:
                failures.append(code)
    print(len(failures))
""")


def unheld_grassroots(db) -> list[str]:
    """Takes the held dates off the sample's grassroots congresses, so there is plenty to log."""
    engine = make_engine(str(db))
    with engine.begin() as conn:
        conn.execute(text(
            "UPDATE congress SET held_on = NULL WHERE organisation_id IN "
            "(SELECT id FROM organisation WHERE level = 'grassroots')"
        ))
        codes = [r[0] for r in conn.execute(text(
            "SELECT code FROM organisation WHERE level = 'grassroots' ORDER BY code"
        ))]
    engine.dispose()
    return codes


def test_twenty_groups_log_at_once(sample_db):
    codes = unheld_grassroots(sample_db)
    batches = [codes[i * EACH:(i + 1) * EACH] for i in range(WORKERS)]
    contested = codes[WORKERS * EACH]
    env = {**os.environ, "CONGRESS_DB": str(sample_db)}
    processes = [
        subprocess.Popen([sys.executable, "-c", WORKER, *batch], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for batch in batches
    ] + [
        subprocess.Popen([sys.executable, "-m", "congress", "log", contested, "--held", "2/11/2026"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(RACERS)
    ]
    results = [(p.wait(timeout=600), *p.communicate()) for p in processes]
    workers, racers = results[:WORKERS], results[WORKERS:]

    for code, out, err in workers:
        assert code == 0 and out.splitlines()[-1] == "0", err
        assert "locked" not in err
    winners = [r for r in racers if r[0] == 0]
    losers = [r for r in racers if r[0] != 0]
    assert len(winners) == 1
    for code, out, err in losers:
        assert code == 1 and "đã được ghi nhận tổ chức đại hội ngày 02/11/2026" in err, err
        assert "locked" not in err and "Traceback" not in err

    held = {r["code"] for r in json.loads(run("org", "list", "--level", "grassroots", "--format", "json").stdout)
            if r["held_on"]}
    assert held == set(codes[:WORKERS * EACH]) | {contested}
    logs = json.loads(run("history", "--limit", "5000", "--format", "json").stdout)
    assert sum(1 for h in logs if h["action"] == "log" and h["at"].startswith("2026")) == WORKERS * EACH + 1
