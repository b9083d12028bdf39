"""Writes the sample's preparation steps and results: data/sample/steps.csv and data/sample/results.csv.

Run by hand from the repository's root after data/generate_sample.py (it reads the organisations.csv that
wrote): `python tools/generate_sample_progress.py`, then rebuild the bundled database with
`echo c | congress --db data/congress.db init --sample --force`. The product never runs it. Seeded, so it
is reproducible: running it again writes the same two files.

Steps: every planned congress did the round's default steps (rules.DEFAULT_STEPS) one to four days before
each step's due day (rules.step_due_on), except a handful chosen here so that on each of CHECK_DAYS a short
list of congresses, from different working groups and with different steps, is behind in preparation: a
step done a few days late, a step never done before a congress held anyway, and two congresses that never
met (X.VINHBAO.08 without its personnel plan, X.NINHGIANG without its group's review). No step is done
before the round's start or after the congress was held.

Results: every held congress. The public figures (shared/reference/domain.md and the press of 9/2025) are
exact and their result_note names the source; every other figure is invented, its result_note is
"Số liệu minh họa." and the column `source` says which ("công bố" or "minh họa"). Our modelling choices:
every committee and the city itself is a merged organisation (the 1/7/2025 merger; Kết luận 163-KL/TW), so
it held a two-content congress and its committee and secretary were appointed; one grassroots organisation
in five is merged too; any other grassroots congress elected its committee and its secretary at the
congress, held the full four contents before 1/7/2025 and three after it (the new committees above them
had their delegates appointed, so none were chosen for them).
"""
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from congress.domain.rules import DEFAULT_STEPS, RESULT_COUNTS, result_problems, step_due_on, step_missing  # noqa: E402
from congress.writes.new_database import ROUND  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
CHECK_DAYS = (date(2025, 7, 9), date(2025, 8, 3), date(2025, 8, 21))
LATE_PER_DAY = {date(2025, 7, 9): 8, date(2025, 8, 3): 6, date(2025, 8, 21): 4}  # besides the two below
NEVER_DONE = {("X.VINHBAO.08", "nhan-su"), ("X.NINHGIANG", "tham-dinh")}  # congresses that never met
MERGED_GRASSROOTS = 0.2  # our choice: the sample does not know which grassroots organisations merged
INVENTED = "Số liệu minh họa."
# The public figures, exactly; each names its source. Merged organisations (every one below) held two
# contents and had their committee appointed (Kết luận 163-KL/TW).
# The note names the source only: it is printed in narrow cells (history, a phone's page); the figures
# themselves are the columns (the city: 446 delegates, 77 ex officio and 369 appointed, for 243.544 members)
PUBLIC = {
    "HP": dict(contents=2, committee_members=78, committee_by="appointed", standing_members=20,
               secretary_by="appointed", delegates=446, present=445,
               result_note="Số liệu công bố (báo chí 26–27/9/2025; Kết luận 163-KL/TW)."),
    "P.HAIAN": dict(contents=2, committee_by="appointed", secretary_by="appointed", delegates=198,
                    result_note="Số liệu công bố (báo chí 7/2025)."),
    "X.ANLAO": dict(contents=2, committee_by="appointed", secretary_by="appointed", delegates=248,
                    result_note="Số liệu công bố (báo chí 8/2025; Kết luận 163-KL/TW)."),
    "X.ANKHANH": dict(contents=2, committee_by="appointed", secretary_by="appointed", delegates=230,
                      result_note="Số liệu công bố (báo chí 8/2025; Kết luận 163-KL/TW)."),
}
RESULT_COLUMNS = ("code", "source", "contents", "committee_members", "committee_by", "standing_members",
                  "secretary_by", "delegates", "present", "women", "under_40", "ethnic", "first_time",
                  "delegates_up", "result_note")


def _date(text):
    return date.fromisoformat(text) if text else None


def organisations():
    with open(SAMPLE / "organisations.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    group = {}
    for row in rows:  # a grassroots organisation belongs to its committee's working group
        group[row["code"]] = row["working_group"] or group.get(row["parent"], "")
        row["group"] = group[row["code"]]
        row["planned"], row["held"] = _date(row["planned_on"]), _date(row["held_on"])
    return rows


def on_time(rng, org):
    """Each step one to four days before its due day (the steps stay in order: the lead times are five
    days apart or more), never before the round's start nor after the congress."""
    done = {}
    for code, _name, days in DEFAULT_STEPS:
        day = max(step_due_on(org["planned"], days) - timedelta(days=rng.randint(1, 4)), ROUND["starts_on"])
        done[code] = min(day, org["held"]) if org["held"] else day
    return done


def make_late(done, org, code, day):
    """The step done `day`, late; the steps after it cannot come before it."""
    later = False
    for step, _name, _days in DEFAULT_STEPS:
        if step == code:
            later = True
            done[step] = day
        elif later and done[step] is not None and done[step] < day:
            done[step] = day


def missing(orgs, done, as_of):
    return {org["code"]: [code for code, _n, days in DEFAULT_STEPS
                          if step_missing(planned_on=org["planned"], held_on=org["held"], done_on=done[org["code"]][code],
                                          days_before=days, as_of=as_of)]
            for org in orgs}


def steps(rng, orgs):
    planned = [o for o in orgs if o["planned"]]
    done = {o["code"]: on_time(rng, o) for o in planned}
    for code, step in NEVER_DONE:
        done[code][step] = None
    codes = [c for c, _n, _d in DEFAULT_STEPS]
    touched = {c for c, _s in NEVER_DONE}
    for as_of, count in LATE_PER_DAY.items():
        groups = set()
        candidates = [o for o in planned if (o["held"] is None or o["held"] > as_of + timedelta(days=3))
                      and o["code"] not in touched]
        rng.shuffle(candidates)
        turn = 0
        for org in candidates:
            if len(groups) == count:
                break
            if org["group"] in groups:
                continue
            # the next step in turn that was due before the as-of day and so is late on it
            for k in range(len(codes)):
                code = codes[(turn + k) % len(codes)]
                days = dict((c, d) for c, _n, d in DEFAULT_STEPS)[code]
                due = step_due_on(org["planned"], days)
                if due < as_of and not any(due < d < as_of for d in CHECK_DAYS):  # late on this day only
                    break
            else:
                continue
            others = [d for d in CHECK_DAYS if d != as_of and due < d < org["held"]] if org["held"] else [1]
            if len(groups) % 3 == 2 and not others:
                done[org["code"]][code] = None  # never done; the congress met without it
            else:
                make_late(done[org["code"]], org, code, as_of + timedelta(days=rng.randint(1, 3)))
            groups.add(org["group"])
            touched.add(org["code"])
            turn += 1
    return planned, done


def _share(rng, whole, low, high):
    x = whole * rng.uniform(low, high)
    return int(x) + (rng.random() < x - int(x))


def invented(rng, org, members):
    if org["level"] in ("committee", "city") or rng.random() < MERGED_GRASSROOTS:
        contents, chosen = 2, "appointed"
    else:
        contents, chosen = (4 if org["held"] < date(2025, 7, 1) else 3), "elected"
    if org["level"] != "grassroots":
        committee = rng.randint(27, 45)
        standing = rng.randint(9, 15)
        delegates = min(300, max(150, 120 + members // 25 + rng.randint(0, 40)))
    elif org["kind"] == "đảng bộ cơ sở":
        committee = rng.randint(9, 15)
        standing = rng.randint(3, 5)
        delegates = members if members < 300 else rng.randint(100, 150)
    else:
        committee = 3 if members < 30 else rng.randint(5, 7) if members < 100 else rng.randint(7, 9)
        standing = None
        delegates = members  # a congress of all the members
    present = delegates - rng.randint(0, max(1, delegates // 15))
    return dict(
        contents=contents, committee_members=committee, committee_by=chosen, standing_members=standing,
        secretary_by=chosen, delegates=delegates, present=present,
        women=_share(rng, committee, 0.2, 0.35), under_40=_share(rng, committee, 0.1, 0.2),
        ethnic=1 if rng.random() < 0.03 else 0, first_time=_share(rng, committee, 0.25, 0.45),
        delegates_up=min(15, max(2, round(members / 10))) if contents == 4 else None,
        result_note=INVENTED,
    )


def results(rng, orgs):
    members = {}
    for org in orgs:  # a committee's members are its grassroots organisations'
        if org["party_members"]:
            members[org["code"]] = int(org["party_members"])
            members[org["parent"]] = members.get(org["parent"], 0) + int(org["party_members"])
    rows = []
    for org in orgs:
        if not org["held"]:
            continue
        public = PUBLIC.get(org["code"])
        values = dict.fromkeys(RESULT_COLUMNS[2:]) | (public or invented(rng, org, members.get(org["code"], 0)))
        assert not result_problems(values), (org["code"], result_problems(values))
        rows.append({"code": org["code"], "source": "công bố" if public else "minh họa"} | values)
    return rows


def main():
    rng = random.Random(18)
    orgs = organisations()
    planned, done = steps(rng, orgs)
    with open(SAMPLE / "steps.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(("code", "step", "done_on"))
        for org in planned:
            for code, _n, _d in DEFAULT_STEPS:
                if done[org["code"]][code] is not None:
                    out.writerow((org["code"], code, done[org["code"]][code].isoformat()))
    rows = results(rng, orgs)
    with open(SAMPLE / "results.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, RESULT_COLUMNS, lineterminator="\n")
        out.writeheader()
        out.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    for as_of in CHECK_DAYS:
        behind = {c: m for c, m in missing(planned, done, as_of).items() if m}
        print(as_of.strftime("%d/%m/%Y"), len(behind), behind)
    for field in RESULT_COUNTS:
        print(field, sum(int(r[field] or 0) for r in rows))


if __name__ == "__main__":
    main()
