"""What a face reads as typed, checked against the register: a date, a day figures are counted at,
and what tab completion offers. `where` is the job's own Store or session."""
from __future__ import annotations

import datetime as dt


def _store(where):
    from congress.store.sql import Store

    return where if isinstance(where, Store) else Store.of_session(where)


def day(where, text: str, today: dt.date) -> dt.date:
    """A date as typed; a missing year is the current round's year."""
    from congress.read.lookups import day_as_typed

    return day_as_typed(_store(where), text, today)


def as_of(where, text: str, today: dt.date) -> dt.date:
    """A day figures are counted at (or since, or issued on): within the years the tool prints."""
    from congress.read.lookups import as_of_day

    return as_of_day(_store(where), text, today)


def organisations_starting(location: str, typed: str) -> list[tuple[str, str]]:
    """(code, name) of the organisations tab completion offers (congress.read.lookups.complete_organisations)."""
    from congress.read.lookups import complete_organisations

    return _completing(location, lambda store: complete_organisations(store, typed))


def groups_starting(location: str, typed: str) -> list[tuple[int, str]]:
    """(number, name) of the working groups whose number starts with what is typed."""
    return _completing(location, lambda store: [
        (number, name) for number, name in store.rows("SELECT number, name FROM workinggroup ORDER BY number")
        if str(number).startswith(typed)
    ])


def _completing(location: str, find):
    """Tab completion reads the database light (no ORM), and never prints a traceback into the user's
    shell: a database it cannot open simply offers nothing."""
    from congress.store.sql import Store

    try:
        with Store.open(location) as store:
            return find(store)
    except Exception:
        return []
