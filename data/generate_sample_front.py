"""Writes data/sample/front.csv: the Vietnam Fatherland Front's round of the sample (issue 19), the
city's Front committee and one for each of the sample's 114 communes (phường, xã, đặc khu).

Run once by hand (`python data/generate_sample_front.py`); `congress init --sample` reads the CSV.
Seeded, so it is reproducible. Public (shared/reference/domain.md): every commune's congress was
held by the end of October 2025 and the city's on 25/11/2025; those rows say "công bố" in `source`.
Each commune's own day is invented (between 22/9 and 30/10/2025) and says "minh họa".
"""
import csv
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent / "sample"
COMMUNE_KINDS = ("phường", "xã", "đặc khu")
FIRST, LAST = date(2025, 9, 22), date(2025, 10, 30)  # invented: the last day is before the 31/10 deadline
CITY = ("MT.HP", "Ủy ban MTTQ Việt Nam thành phố Hải Phòng", "HP", date(2025, 11, 25),
        "Đại hội đại biểu MTTQ Việt Nam thành phố, 25/11/2025")


def main() -> None:
    rng = random.Random(19)
    with (HERE / "organisations.csv").open(encoding="utf-8", newline="") as f:
        communes = [row for row in csv.DictReader(f) if row["level"] == "committee" and row["kind"] in COMMUNE_KINDS]
    assert len(communes) == 114, len(communes)
    code, name, place, held, note = CITY
    rows = [dict(code=code, name=name, level="city", kind="ủy ban MTTQ tỉnh, thành phố", parent="", same_place=place,
                 planned_on=held, held_on=held, note=note, source="công bố")]
    span = (LAST - FIRST).days
    for party in communes:
        held = FIRST + timedelta(days=rng.randint(0, span))
        rows.append(dict(code=f"MT.{party['code']}", name="Ủy ban MTTQ Việt Nam " + party["name"].removeprefix("Đảng bộ "),
                         level="committee", kind=party["kind"], parent=code, same_place=party["code"],
                         planned_on=held, held_on=held, note="", source="minh họa"))
    with (HERE / "front.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
