"""Writes the illustrative sample sources in data/sample/ (organisations.csv, working-groups.csv).

Run once by hand (`python data/generate_sample.py ../shared/data/haiphong-committees.csv`); the
product never runs it: `congress init --sample` reads the CSVs it wrote. Seeded, so it is
reproducible. Grassroots names, party-member counts, group assignments and most dates are
invented; what is fixed comes from public reporting (shared/reference/domain.md):
1.325 of 1.845 grassroots congresses held by 9/7/2025 and the other 520 planned for July 2025,
the pilots (Hải An 23/7/2025, Gia Lộc before 3/8), Kinh Môn 15/8, An Lão 9/8, An Khánh 19/8,
the city congress 26–27/9/2025. A round runs bottom up: every grassroots congress is held before its
committee's.
"""
import csv
import random
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent / "sample"
GRASSROOTS = 1845
HELD_BY_REPORT = 1325
REPORT_DAY = date(2025, 7, 9)
CITY_WIDE = {"TP.QUANSU": 11, "TP.COQUANDANG": 12, "TP.UBND": 53, "TP.CONGAN": 33}
KNOWN = {  # committee: (planned, held)
    "P.HAIAN": (date(2025, 7, 23), date(2025, 7, 23)),
    "X.GIALOC": (date(2025, 7, 31), date(2025, 7, 31)),
    "P.KINHMON": (date(2025, 8, 15), date(2025, 8, 15)),
    "X.ANLAO": (date(2025, 8, 9), date(2025, 8, 9)),
    "X.ANKHANH": (date(2025, 8, 19), date(2025, 8, 19)),
}
PILOTS = {"P.HAIAN", "X.GIALOC"}
NEVER_HELD_COMMITTEES = ("X.NINHGIANG", "X.VINHBAO")
LATE_COMMITTEES = 5
NEVER_HELD_GRASSROOTS = 4
UNIT_NAMES = {
    "phường": ["Chi bộ Tổ dân phố số {n}, {place}", "Chi bộ Trường Mầm non {place}", "Chi bộ Trường Tiểu học {place}",
               "Chi bộ Trường Trung học cơ sở {place}", "Chi bộ Trạm Y tế {place}"],
    "xã": ["Chi bộ thôn số {n}, {place}", "Chi bộ Trường Mầm non {place}", "Chi bộ Trường Tiểu học {place}",
           "Chi bộ Trường Trung học cơ sở {place}", "Chi bộ Trạm Y tế {place}"],
    "đặc khu": ["Chi bộ Khu dân cư số {n}, {place}", "Chi bộ Trường học số {n}, {place}", "Chi bộ Trạm Y tế {place}"],
    "TP.QUANSU": ["Đảng bộ cơ sở Đơn vị quân sự số {n}"],
    "TP.COQUANDANG": ["Chi bộ cơ quan Đảng số {n}"],
    "TP.UBND": ["Chi bộ cơ quan chuyên môn số {n}", "Đảng bộ cơ sở Đơn vị sự nghiệp số {n}"],
    "TP.CONGAN": ["Đảng bộ cơ sở Phòng nghiệp vụ số {n}"],
}


def grassroots_names(committee: dict, count: int) -> list[str]:
    place = committee["name"].removeprefix(f"Đảng bộ {committee['kind']} ")
    patterns = UNIT_NAMES.get(committee["code"]) or UNIT_NAMES[committee["kind"]]
    names, seen = [], set()
    n = 1
    while len(names) < count:
        for pattern in patterns:
            name = pattern.format(n=n, place=place)
            if name not in seen and len(names) < count:
                seen.add(name)
                names.append(name)
        n += 1
    return names


def main(source: str) -> None:
    rng = random.Random(2025)
    with open(source, encoding="utf-8") as f:
        committees = [{k: unicodedata.normalize("NFC", v) for k, v in row.items()} for row in csv.DictReader(f)]
    communes = [c for c in committees if c["code"] not in CITY_WIDE]
    # Spread the grassroots organisations not in the city-wide committees over the communes.
    left = GRASSROOTS - sum(CITY_WIDE.values())
    weights = [rng.uniform(0.6, 1.4) for _ in communes]
    counts = [max(5, int(left * w / sum(weights))) for w in weights]
    for i in range(left - sum(counts)):
        counts[i % len(counts)] += 1
    per_committee = dict(zip((c["code"] for c in communes), counts)) | CITY_WIDE

    groups = [{"number": n, "name": f"Tổ công tác số {n}", "leader": ""} for n in range(1, 21)]
    group_of = {c["code"]: 1 + i * 20 // len(committees) for i, c in enumerate(committees)}

    ordinary = [c["code"] for c in committees if c["code"] not in KNOWN and c["code"] not in NEVER_HELD_COMMITTEES]
    late = set(rng.sample(ordinary, LATE_COMMITTEES))
    committee_dates = {}  # code: (planned, held)
    for c in committees:
        code = c["code"]
        if code in KNOWN:
            planned, held = KNOWN[code]
        elif code in NEVER_HELD_COMMITTEES:
            planned, held = date(2025, 8, 28), None
        elif code in late:
            held = date(2025, 8, 21) + timedelta(days=rng.randrange(11))
            planned = held - timedelta(days=rng.randrange(3))
        else:
            held = date(2025, 8, 4) + timedelta(days=rng.randrange(17))
            planned = held - timedelta(days=rng.choice((0, 0, 0, 1, 2)))
        committee_dates[code] = (planned, held)

    grassroots = []
    for c in committees:
        for i, name in enumerate(grassroots_names(c, per_committee[c["code"]]), 1):
            kind = "đảng bộ cơ sở" if name.startswith("Đảng bộ") else "chi bộ cơ sở"
            grassroots.append({"code": f"{c['code']}.{i:02d}", "name": name, "level": "grassroots", "kind": kind,
                               "parent": c["code"], "working_group": "", "party_members": rng.randint(9, 180),
                               "pilot": "", "note": ""})
    assert len(grassroots) == GRASSROOTS
    held_early = set(rng.sample(range(GRASSROOTS), HELD_BY_REPORT))
    candidates = [i for i, g in enumerate(grassroots) if i not in held_early and g["parent"] in NEVER_HELD_COMMITTEES]
    never = set(rng.sample(candidates, NEVER_HELD_GRASSROOTS))
    start = date(2025, 4, 14)
    for i, g in enumerate(grassroots):
        if i in held_early:
            # weighted towards the weeks before the report, as congresses picked up pace
            held = start + timedelta(days=int((REPORT_DAY - start).days * rng.random() ** 0.6))
            planned = held - timedelta(days=rng.choice((0, 0, 0, 0, 1, 3)))
        else:
            planned = REPORT_DAY + timedelta(days=1 + rng.randrange(22))
            held = None if i in never else planned + timedelta(days=rng.choice((0,) * 8 + (2, 6, 15)))
        if g["parent"] in KNOWN:
            # a reported committee date is fixed, so its grassroots congresses come the day before at the latest
            last_day = KNOWN[g["parent"]][1] - timedelta(days=1)
            planned = min(planned, last_day)
            held = min(held, last_day) if held else None
        g["planned_on"] = planned.isoformat()
        g["held_on"] = held.isoformat() if held else ""

    # A round runs bottom up: any other committee holds its congress after its last grassroots one.
    last_child = {}
    for g in grassroots:
        if g["held_on"]:
            last_child[g["parent"]] = max(last_child.get(g["parent"], ""), g["held_on"])
    rows = [{
        "code": "HP", "name": "Đảng bộ thành phố Hải Phòng", "level": "city", "kind": "đảng bộ tỉnh, thành phố",
        "parent": "", "working_group": "", "party_members": "", "planned_on": "2025-09-26",
        "held_on": "2025-09-26", "pilot": "", "note": "Đại hội lần thứ I, 26–27/9/2025",
    }]
    for c in committees:
        code = c["code"]
        planned, held = committee_dates[code]
        if held and code not in KNOWN and code in last_child:
            shift = max(date.fromisoformat(last_child[code]) + timedelta(days=1) - held, timedelta(0))
            planned, held = planned + shift, held + shift
        rows.append({
            "code": code, "name": c["name"], "level": "committee", "kind": c["kind"], "parent": "HP",
            "working_group": group_of[code], "party_members": "", "planned_on": planned.isoformat(),
            "held_on": held.isoformat() if held else "", "pilot": "x" if code in PILOTS else "", "note": "",
        })
    rows += grassroots

    with open(HERE / "organisations.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with open(HERE / "working-groups.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(groups[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(groups)


if __name__ == "__main__":
    main(sys.argv[1])
