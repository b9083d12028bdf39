"""Refusals: what went wrong, as facts in Vietnamese, and what would let it through (`allow`), which
each face names in its own words: the CLI with its options (congress.cli.common.worded), the web
with its fields (congress.web.auth.worded), an import with its row and column."""
from __future__ import annotations

from enum import Enum


class Allow(Enum):
    """What would let a refused request through."""
    OVERRIDE = "override"  # the office records it anyway (CLI --force, the web's «Ghi đè» box)
    OVERWRITE = "overwrite"  # replace what is there: a file, a database (CLI --force)
    REASON = "reason"  # say why (CLI --reason, the web's «Lý do» field)
    SETTINGS = "settings"  # set what the brief prints of the province (CLI congress settings set)
    PARENT = "parent"  # name the organisation above (CLI --parent)
    COMMITTEE = "committee"  # name a committee, not a grassroots organisation (CLI --committee)
    SKIP_INVALID = "skip_invalid"  # write the good rows only (CLI --skip-invalid)
    UNDO_AGAIN = "undo_again"  # ask for the undo again, now that the list is fresh
    DRY_RUN_AGAIN = "dry_run_again"  # look at the new dry run, then confirm it
    # what the user does next, which the face names in its own words (the CLI: its commands)
    CREATE = "create"  # make the database, empty or the sample, or point at another one
    UPGRADE = "upgrade"  # bring the database to this version's schema
    RESTORE = "restore"  # the file is damaged: restore the latest backup
    CONNECT = "connect"  # the server was not reached: check the address and the server
    NAME_GROUP = "name_group"  # on SQLite the writer names its working group
    GRANT_GROUP = "grant_group"  # map a server account to its working group
    NEW_PASSWORD = "new_password"  # the account exists (facts: name): give it a new password instead
    LIST_ACCOUNTS = "list_accounts"  # no such account: see which there are
    EDIT_ORGANISATION = "edit_organisation"  # correct an organisation added by mistake (CLI org edit), not undo it
    REASSIGN_GROUP = "reassign_group"  # correct a group set up by mistake (CLI group assign), not undo it
    INIT = "init"  # make the register first (CLI congress init)
    RETIRE_STEP = "retire_step"  # a preparation step in use is retired, never removed (CLI --retire)
    RETIRE_ADDED_STEP = "retire_added_step"  # a step added, then recorded, is retired (facts: code), not undone
    OPEN_ROUND = "open_round"  # a closed round (facts: name) is opened again by the office
    CHOOSE_ROUND = "choose_round"  # the organisation's congress is another round's: choose that round


class CongressError(Exception):
    """A problem the user can fix. `str(error)` is the domain's sentence, naming no option or command;
    `allow` and `when` ("nếu tổ được giao thêm việc này") say what would let it through; `field` is the
    value concerned (held, planned, reason…), for a face to point at; `facts` are the figures behind it."""

    def __init__(self, message: str, *, allow: Allow | None = None, when: str = "", field: str | None = None,
                 **facts):
        super().__init__(message)
        self.allow, self.when, self.field, self.facts = allow, when, field, facts


class NotFound(CongressError):
    pass


class Ambiguous(CongressError):
    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates
