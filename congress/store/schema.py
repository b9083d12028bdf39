"""All tables. Statuses (overdue, at risk…) are not here: they are computed by congress.domain.rules."""
import datetime as dt
from typing import Optional

from sqlalchemy import CheckConstraint
from sqlmodel import Field, Index, SQLModel, UniqueConstraint

from congress.domain.rules import result_fits_sql


class Organisation(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str  # NFC
    search_name: str = Field(index=True)  # congress.domain.vn.fold(name): SQL has no portable accent folding
    level: str = Field(index=True)  # city, committee, grassroots
    kind: str
    parent_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    working_group_id: Optional[int] = Field(default=None, foreign_key="workinggroup.id", index=True)
    party_members: Optional[int] = None
    dissolved_on: Optional[dt.date] = None
    # whose congresses it holds: the rounds of this kind (round_kind.code): a party organisation's, a
    # Front committee's (issue 19)
    body: str = Field(default="dang", index=True)
    # the unit of another kind's tree that stands for the same place: xã Gia Lộc's Front committee
    # names xã Gia Lộc's party committee, and `org show` shows both one's congresses
    same_place_id: Optional[int] = Field(default=None, foreign_key="organisation.id")


class WorkingGroup(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    name: str
    leader: Optional[str] = None


class RoundKind(SQLModel, table=True):
    """What a round's congresses are: the Party's, the Fatherland Front's, a mass organisation's (rules.DEFAULT_ROUND_KINDS)."""

    __tablename__ = "round_kind"
    code: str = Field(primary_key=True)
    name: str
    title: str  # the brief's title: "Báo cáo tiến độ tổ chức đại hội {title} nhiệm kỳ {term}"


class LevelName(SQLModel, table=True):
    """The levels of a kind of round's tree, in order, top first (vn.DEFAULT_LEVEL_NAMES): a level sits
    under the one before it. A level not named is not in that tree."""

    __tablename__ = "level_name"
    kind: str = Field(primary_key=True)
    level: str = Field(primary_key=True)  # city, committee, grassroots (rules.LEVELS: their positions)
    name: str


class Round(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str = Field(default="dang", foreign_key="round_kind.code")
    term: str = "2025–2030"  # as printed, with an en dash
    closed: bool = False  # a closed round is read-only: every write to it is refused (issue 19)
    starts_on: Optional[dt.date] = None  # no congress of this round can be held before it
    target_on: dt.date
    deadline_on: dt.date
    pilot_deadline_on: Optional[dt.date] = None


class RoundLevel(SQLModel, table=True):
    """A round's target and deadline overridden for one level."""

    __table_args__ = (UniqueConstraint("round_id", "level"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id")
    level: str
    target_on: Optional[dt.date] = None
    deadline_on: Optional[dt.date] = None


class Congress(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("round_id", "organisation_id"),
                      CheckConstraint(result_fits_sql(), name="congress_result_fits"))
    id: Optional[int] = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    planned_on: Optional[dt.date] = None
    held_on: Optional[dt.date] = Field(default=None, index=True)
    is_pilot: bool = False
    note: Optional[str] = None
    # What the congress decided, as counts only (`congress result`); each arrives on its own, so each may
    # be missing. The pairs that cannot be true together are refused here too (rules.result_fits_sql).
    contents: Optional[int] = None  # the agenda held: 2, 3 or 4 contents (rules.CONTENTS)
    committee_members: Optional[int] = None
    committee_by: Optional[str] = None  # rules.CHOSEN_BY: elected | appointed
    standing_members: Optional[int] = None
    secretary_by: Optional[str] = None
    delegates: Optional[int] = None  # official delegates summoned
    present: Optional[int] = None
    women: Optional[int] = None  # the new committee's make-up
    under_40: Optional[int] = None
    ethnic: Optional[int] = None
    first_time: Optional[int] = None
    delegates_up: Optional[int] = None  # chosen for the higher congress
    result_note: Optional[str] = None


class PreparationStep(SQLModel, table=True):
    """One of a round's preparation steps, in order: done a number of days before the congress."""

    __tablename__ = "preparation_step"
    __table_args__ = (UniqueConstraint("round_id", "code"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    code: str  # as typed, lower case (rules.STEP_CODE)
    name: str  # NFC
    days_before: int
    position: int
    retired: bool = False  # a step in use is never removed: history and the done dates name it


class CongressStep(SQLModel, table=True):
    """A preparation step one congress has done; history keeps its field as "step:<code>"."""

    __tablename__ = "congress_step"
    __table_args__ = (UniqueConstraint("round_id", "organisation_id", "step_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    step_id: int = Field(foreign_key="preparation_step.id", index=True)
    done_on: Optional[dt.date] = None  # None: withdrawn (`step --undone`), the row kept for history
    note: Optional[str] = None


class Change(SQLModel, table=True):
    """History: one row per changed value, never updated or deleted."""

    # replaying one value's history (the read model) walks organisation, field and time
    __table_args__ = (Index("ix_change_organisation_id_field_at", "organisation_id", "field", "at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    user: str  # the name shown to clerks; never what undo matches on
    # who wrote it, in a form no other login can take (register.author); None: written before
    # identities were recorded (migration 0005) or invented by the sample, so nobody may undo it
    author: Optional[str] = Field(default=None, index=True)
    working_group: Optional[int] = None  # the number, as the user gave it
    organisation_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    action: str
    field: Optional[str] = None
    old_value: Optional[str] = None
    new_value: Optional[str] = None
    note: Optional[str] = None
    # every row one command wrote, however long it ran: what undo reverts together
    command: Optional[str] = Field(default=None, index=True)
    # the round the change was made in (register.of_round); None: the register's own (organisations,
    # working groups, settings), shown in every round's history
    round_id: Optional[int] = Field(default=None, foreign_key="round.id", index=True)


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


class Account(SQLModel, table=True):
    """Who may sign in to `congress serve` on SQLite (on PostgreSQL a login is the server's own role)."""

    # an id is never given again after its account is removed: history's author names it (web:<id>)
    __table_args__ = {"sqlite_autoincrement": True}

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)  # as typed at login, lower-cased
    working_group: Optional[int] = None  # a group's number; None is the office
    password_hash: str  # congress.writes.accounts.hash_password: scrypt, salted


class SigninFailure(SQLModel, table=True):
    """Failed sign-ins in a row of one account from one client address (congress.writes.accounts.Throttle):
    kept in the register so that `congress user list` shows them and `congress user passwd` lifts them."""

    __tablename__ = "signin_failure"
    account: str = Field(primary_key=True)  # the name as typed, lower-cased; only names that exist
    address: str = Field(primary_key=True)
    failures: int
    last_failed: dt.datetime  # UTC
