"""Builds a synthetic national-scale database: 34 provinces, 60.000 grassroots organisations.

    python bench/build_national.py OUT.db

The schema is the product's own (congress.writes.new_database.initialise); rows go in through SQLAlchemy Core in
bulk, since this is a fixture for timing, not a workflow. Like the sample, nearly every congress
is held and a small share never is, so `status --overdue` has a list worth printing; every congress did
the round's default steps a day before each was due (one step in a hundred never), and every held congress
reported a result, so `status --preparation` and `status --results` read tables of the sample's shape.
"""
import random
import sys
from datetime import date, timedelta

from sqlalchemy import insert

from congress.store.database import make_engine
from congress.domain.rules import DEFAULT_STEPS, RESULT_FIELDS, step_due_on
from congress.store.schema import Congress, CongressStep, Organisation, WorkingGroup
from congress.writes.new_database import initialise
from congress.domain.vn import fold

PROVINCES = 34
GRASSROOTS = 60_000
COMMITTEES_PER_PROVINCE = 100
GROUPS_PER_PROVINCE = 20
NEVER_HELD = 0.002
STEP_LATE = 0.01  # a step not done by its due day, as the sample has a handful: `status --preparation` lists them


def build(path: str) -> None:
    rng = random.Random(34)
    initialise(path, sample=False, force=True)
    engine = make_engine(path)
    orgs, groups, congresses = [], [], []
    next_id = 1
    per_province = GRASSROOTS // PROVINCES
    for p in range(1, PROVINCES + 1):
        province_id = next_id
        next_id += 1
        orgs.append(dict(id=province_id, code=f"T{p:02d}", name=f"Đảng bộ tỉnh số {p}", level="city",
                         kind="tỉnh", parent_id=None, working_group_id=None))
        for g in range(GROUPS_PER_PROVINCE):
            number = (p - 1) * GROUPS_PER_PROVINCE + g + 1
            groups.append(dict(id=number, number=number, name=f"Tổ công tác số {g + 1}, tỉnh số {p}"))
        grassroots_left = per_province + (GRASSROOTS % PROVINCES if p == PROVINCES else 0)
        for c in range(COMMITTEES_PER_PROVINCE):
            committee_id = next_id
            next_id += 1
            orgs.append(dict(id=committee_id, code=f"T{p:02d}.X{c:03d}", name=f"Đảng bộ xã số {c} tỉnh số {p}",
                             level="committee", kind="xã", parent_id=province_id,
                             working_group_id=(p - 1) * GROUPS_PER_PROVINCE + c % GROUPS_PER_PROVINCE + 1))
            held = date(2025, 8, 1) + timedelta(days=rng.randrange(19))
            congresses.append(dict(organisation_id=committee_id, planned_on=held, held_on=held))
            count = grassroots_left // (COMMITTEES_PER_PROVINCE - c)
            grassroots_left -= count
            for i in range(count):
                org_id = next_id
                next_id += 1
                orgs.append(dict(id=org_id, code=f"T{p:02d}.X{c:03d}.{i:03d}", name=f"Chi bộ số {i} xã số {c} tỉnh số {p}",
                                 level="grassroots", kind="chi bộ cơ sở", parent_id=committee_id, working_group_id=None))
                planned = date(2025, 4, 15) + timedelta(days=rng.randrange(100))
                held_on = None if rng.random() < NEVER_HELD else planned
                congresses.append(dict(organisation_id=org_id, planned_on=planned, held_on=held_on))
    for row in orgs:
        row["search_name"] = fold(row["name"])
    steps = []
    for c in congresses:
        c.update(dict.fromkeys(RESULT_FIELDS))  # one shape for every row of the bulk insert
        for step_id, (_, _, days_before) in enumerate(DEFAULT_STEPS, start=1):
            if rng.random() >= STEP_LATE:
                steps.append(dict(round_id=1, organisation_id=c["organisation_id"], step_id=step_id,
                                  done_on=step_due_on(c["planned_on"], days_before + 1)))
        if c["held_on"] is not None:
            committee = rng.randrange(3, 40)
            delegates = rng.randrange(20, 300)
            c.update(contents=rng.choice((2, 3, 4)), committee_members=committee,
                     committee_by=rng.choice(("elected", "appointed")), standing_members=committee // 3,
                     secretary_by="elected", delegates=delegates, present=delegates - rng.randrange(0, 5),
                     women=committee // 4, under_40=committee // 7, ethnic=0, first_time=committee // 3)
    with engine.begin() as conn:
        conn.execute(insert(WorkingGroup), groups)
        conn.execute(insert(Organisation), orgs)
        conn.execute(insert(Congress), [dict(c, round_id=1, is_pilot=False) for c in congresses])
        conn.execute(insert(CongressStep), steps)
    engine.dispose()
    print(f"{path}: {PROVINCES} tỉnh, {len(orgs) - PROVINCES} tổ chức dưới tỉnh "
          f"({sum(o['level'] == 'grassroots' for o in orgs)} tổ chức cơ sở).")


if __name__ == "__main__":
    build(sys.argv[1])
