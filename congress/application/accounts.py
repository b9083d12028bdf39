"""The browser's accounts on SQLite (`congress user`): add, list, a new password, remove. Each job is
one transaction; a name, a group and a name taken are refused before a password is asked."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from congress.writes.accounts import check_password  # noqa: F401  (the faces check a password as typed)


class Listed(NamedTuple):
    name: str
    working_group: int | None  # None: the office
    waiting: list[tuple[str, dt.datetime]]  # client addresses refused, until when


def refuse_new(location: str, name: str, group: int | None) -> None:
    """What `add` refuses before the password is asked: the backend, the name, the group, a name taken."""
    from congress.application.database import opened
    from congress.writes import accounts

    with opened(location, write=False) as store:
        accounts.check_name(name)
        accounts.refuse_existing(store, name, group)


def add(location: str, name: str, group: int | None, password: str) -> None:
    from congress.application.database import opened
    from congress.writes import accounts

    with opened(location) as store:
        accounts.add(store, name, group, password)


def refuse_unknown(location: str, name: str) -> None:
    """An account that is not there is refused before a new password is asked."""
    from congress.application.database import opened
    from congress.writes import accounts

    with opened(location, write=False) as store:
        accounts.existing(store, name)


def set_password(location: str, name: str, password: str) -> None:
    """Also lets every address that had to wait try again: the office resets a clerk who forgot theirs."""
    from congress.application.database import opened
    from congress.writes import accounts

    with opened(location) as store:
        accounts.set_password(store, name, password)


def remove(location: str, name: str) -> None:
    from congress.application.database import opened
    from congress.writes import accounts

    with opened(location) as store:
        accounts.remove(store, name)


def listed(location: str, now: dt.datetime) -> list[Listed]:
    """Every account by name, with the addresses that must wait now."""
    from congress.application.database import opened
    from congress.writes import accounts

    with opened(location, write=False) as store:
        waiting = accounts.waiting_addresses(store, now)
        return [Listed(a.name, a.working_group, waiting.get(a.name, [])) for a in accounts.listed(store)]
