"""Finding things: the current round and its deadlines, an organisation as people type it, a working
group. Plain SQL over a Store, so the read path stays light and a write command (through
`Store.of_session`) finds things the same way, inside its own transaction."""
from __future__ import annotations

import datetime as dt
from contextvars import ContextVar, Token
from typing import NamedTuple

from congress.domain import rules
from congress.domain.errors import Allow, Ambiguous, CongressError, NotFound
from congress.store.sql import Store, to_date
from congress.domain import vn
from congress.domain.vn import bare, fold, loose, nfc

_SHORT_PREFIXES = ("dang bo ", "chi bo ")
_SHORT_KINDS = ("co so ", "phuong ", "xa ", "dac khu ")
CLOSEST_SHOWN = 3  # the names offered when nothing matches


class Org(NamedTuple):
    id: int
    code: str
    name: str
    search_name: str
    level: str
    kind: str
    parent_id: int | None
    working_group_id: int | None
    party_members: int | None
    dissolved_on: dt.date | None
    body: str = rules.PARTY_KIND  # the kind of round whose congresses it holds
    same_place_id: int | None = None

    @property
    def committee_id(self) -> int | None:
        return rules.committee_id(self.level, self.id, self.parent_id)


_ORG = ("SELECT id, code, name, search_name, level, kind, parent_id, working_group_id, party_members, dissolved_on,"
        " body, same_place_id FROM organisation")


def _org(row) -> Org:
    return Org(*row[:9], to_date(row[9]), row[10], row[11])


class Group(NamedTuple):
    id: int
    number: int
    name: str
    leader: str | None


class RoundInfo(NamedTuple):
    id: int
    name: str
    starts_on: dt.date | None
    target_on: dt.date
    deadline_on: dt.date
    pilot_deadline_on: dt.date | None
    kind: str = rules.PARTY_KIND
    term: str | None = None
    closed: bool = False
    title: str = rules.DEFAULT_ROUND_KINDS[0][2]  # its kind's words in the brief's title (round_kind.title)
    levels: tuple[tuple[str, str], ...] = tuple(vn.PARTY_LEVELS.items())  # its tree's (level, name), top first


_ROUND = ("SELECT r.id, r.name, r.starts_on, r.target_on, r.deadline_on, r.pilot_deadline_on, r.kind, r.term,"
          " r.closed, coalesce(k.title, r.kind) FROM round r LEFT JOIN round_kind k ON k.code = r.kind")
# The round a command or a page is about, as typed (--round, CONGRESS_ROUND, a page's chooser); None: the
# default round. A context variable, so each request of the web server has its own.
_CHOSEN: ContextVar[str | None] = ContextVar("congress_round", default=None)


def choose_round(typed: str | None) -> Token:
    """Every read and write from here on is about the round named `typed` (None or blank: the default)."""
    return _CHOSEN.set(typed.strip() if typed and typed.strip() else None)


def unchoose_round(token: Token) -> None:
    _CHOSEN.reset(token)


def level_trees(store: Store) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each kind's tree (table level_name): its (level, name), top first."""
    trees: dict[str, list[tuple[str, str]]] = {}
    for kind, level, name in store.rows("SELECT kind, level, name FROM level_name"):
        trees.setdefault(kind, []).append((level, name))
    return {kind: tuple(sorted(tree, key=lambda pair: rules.LEVELS.index(pair[0]))) for kind, tree in trees.items()}


def rounds(store: Store) -> list[RoundInfo]:
    """Every round of the register, the earliest deadline first."""
    trees = level_trees(store)
    return [RoundInfo(row[0], row[1], *(to_date(v) for v in row[2:6]), row[6], row[7], bool(row[8]), row[9],
                      trees.get(row[6], ()))
            for row in store.rows(_ROUND + " ORDER BY r.deadline_on, r.id")]


def default_round(found: list[RoundInfo]) -> RoundInfo:
    """Without a round named: the open round whose deadline comes first; when all are closed, the last."""
    open_ = [r for r in found if not r.closed]
    return open_[0] if open_ else found[-1]


def _round_key(name: str) -> str:
    """A round's name as people type it: any case, with or without diacritics, - or – alike."""
    return fold(name.replace("–", "-")).strip()


def same_round_name(one: str, other: str) -> bool:
    return _round_key(one) == _round_key(other)


def find_round(found: list[RoundInfo], typed: str) -> RoundInfo:
    """A round by its name as typed, as an organisation is found: the whole name first, then the one
    round whose name holds what was typed ("mttq")."""
    for round_ in found:
        if same_round_name(round_.name, typed):
            return round_
    key = _round_key(typed)
    holding = [r for r in found if key and key in _round_key(r.name)]
    if len(holding) == 1:
        return holding[0]
    if holding:
        raise CongressError(f"«{typed}» khớp với {len(holding)} nhiệm kỳ: {', '.join(r.name for r in holding)};"
                            " hãy gõ tên đầy đủ hơn.")
    raise NotFound(f"Không có nhiệm kỳ «{typed}»; các nhiệm kỳ: {', '.join(r.name for r in found)}.")


def current_round(store: Store) -> RoundInfo:
    """The round chosen (choose_round), else the default one. Asked by every write of every row of a
    sheet, so read once per store and choice, until a round is written (forget_rounds)."""
    chosen = _CHOSEN.get()
    known = store.info.get(_CURRENT)
    if known is not None and known[0] == chosen:
        round_ = known[1]
    else:
        found = rounds(store)
        if not found:
            raise CongressError("Chưa có nhiệm kỳ nào trong cơ sở dữ liệu.", allow=Allow.INIT)
        round_ = find_round(found, chosen) if chosen is not None else default_round(found)
        store.info[_CURRENT] = (chosen, round_)
    vn.LEVEL_LABELS.use(dict(round_.levels))  # what every output names its levels from here on
    return round_


_CURRENT = "current_round"  # store.info: (the choice, the round it found)


def forget_rounds(store: Store) -> None:
    """A round, a kind or a tree was written: current_round reads them again."""
    store.info.pop(_CURRENT, None)


def in_round(org: Org, round_: RoundInfo) -> None:
    """Refused unless the organisation holds a congress in the round: a unit of the round's kind, at a
    level of its tree."""
    if org.body != round_.kind or org.level not in dict(round_.levels):
        raise CongressError(f"{org.name} ({org.code}) không thuộc nhiệm kỳ «{round_.name}».",
                            allow=Allow.CHOOSE_ROUND)


def writable_round(store: Store) -> RoundInfo:
    """The current round, refused if it is closed: a closed round is read-only for everyone."""
    round_ = current_round(store)
    if round_.closed:
        typed = f'"{round_.name}"' if " " in round_.name else round_.name  # as the hint's command types it
        raise CongressError(f"Nhiệm kỳ «{round_.name}» đã khóa: chỉ xem, không ghi.", allow=Allow.OPEN_ROUND,
                            name=typed)
    return round_


def overrides(store: Store, round_id: int) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """level → (target, deadline) where the round's are overridden for a level."""
    return {
        level: (to_date(target), to_date(deadline))
        for level, target, deadline in store.rows(
            "SELECT level, target_on, deadline_on FROM roundlevel WHERE round_id = :round", round=round_id
        )
    }


def deadlines_by_level(store: Store, round_: RoundInfo) -> dict[str, rules.Deadlines]:
    return rules.level_deadlines(round_.target_on, round_.deadline_on, round_.pilot_deadline_on,
                                 overrides(store, round_.id))


class RoundLevel(NamedTuple):
    """A round's target and deadline overridden for one level; id None: not overridden yet."""
    id: int | None
    round_id: int
    level: str
    target_on: dt.date | None
    deadline_on: dt.date | None


def round_level(store: Store, round_id: int, level: str) -> RoundLevel:
    row = store.one("SELECT id, target_on, deadline_on FROM roundlevel WHERE round_id = :round AND level = :level",
                    round=round_id, level=level)
    if row is None:
        return RoundLevel(None, round_id, level, None, None)
    return RoundLevel(row[0], round_id, level, to_date(row[1]), to_date(row[2]))


class Congress(NamedTuple):
    """An organisation's congress of a round; id None: nothing recorded yet."""
    id: int | None
    round_id: int
    organisation_id: int
    planned_on: dt.date | None
    held_on: dt.date | None
    is_pilot: bool
    note: str | None


def congress_of(store: Store, round_id: int, organisation_id: int) -> Congress:
    row = store.one("SELECT id, planned_on, held_on, is_pilot, note FROM congress"
                    " WHERE round_id = :round AND organisation_id = :org", round=round_id, org=organisation_id)
    if row is None:
        return Congress(None, round_id, organisation_id, None, None, False, None)
    return Congress(row[0], round_id, organisation_id, to_date(row[1]), to_date(row[2]), bool(row[3]), row[4])


# --- preparation steps and results -------------------------------------------------------------


class Step(NamedTuple):
    """One of a round's preparation steps."""
    id: int
    round_id: int
    code: str
    name: str
    days_before: int
    position: int
    retired: bool


_STEP = "SELECT id, round_id, code, name, days_before, position, retired FROM preparation_step"


def _step(row) -> Step:
    return Step(*row[:6], bool(row[6]))


def steps(store: Store, round_id: int, *, retired: bool = True) -> list[Step]:
    """A round's steps in their order; without the retired ones unless asked."""
    found = [_step(row) for row in store.rows(_STEP + " WHERE round_id = :round ORDER BY position, id", round=round_id)]
    return found if retired else [s for s in found if not s.retired]


def find_step(store: Store, round_id: int, typed: str) -> Step:
    """A step by its code, as typed (any case, surrounding spaces ignored)."""
    code = (typed or "").strip().lower()
    if not code:
        raise NotFound("Chưa chọn bước chuẩn bị.")
    row = store.one(_STEP + " WHERE round_id = :round AND code = :code", round=round_id, code=code)
    if row is None:
        known = ", ".join(s.code for s in steps(store, round_id, retired=False))
        raise NotFound(f"Không có bước chuẩn bị «{typed.strip()}»; các bước: {known or '(chưa có)'}.")
    return _step(row)


class StepDone(NamedTuple):
    """What one congress has recorded for one step; id None: nothing yet."""
    id: int | None
    step: Step
    done_on: dt.date | None
    note: str | None


def steps_done(store: Store, round_id: int, organisation_id: int) -> list[StepDone]:
    """Every step of the round (retired ones too when done), each with this congress's done date."""
    recorded = {step_id: StepDone(id_, None, to_date(done_on), note) for id_, step_id, done_on, note in store.rows(
        "SELECT id, step_id, done_on, note FROM congress_step WHERE round_id = :round AND organisation_id = :org",
        round=round_id, org=organisation_id)}
    found = []
    for step in steps(store, round_id):
        done = recorded.get(step.id, StepDone(None, None, None, None))._replace(step=step)
        if not step.retired or done.done_on is not None:
            found.append(done)
    return found


class Result(NamedTuple):
    """What a congress decided, as counts (congress.domain.rules.RESULT_FIELDS); None where not reported."""
    contents: int | None = None
    committee_members: int | None = None
    committee_by: str | None = None
    standing_members: int | None = None
    secretary_by: str | None = None
    delegates: int | None = None
    present: int | None = None
    women: int | None = None
    under_40: int | None = None
    ethnic: int | None = None
    first_time: int | None = None
    delegates_up: int | None = None
    result_note: str | None = None

    @property
    def reported(self) -> bool:
        return any(v is not None for v in self)


def result_of(store: Store, round_id: int, organisation_id: int) -> Result:
    row = store.one(f"SELECT {', '.join(rules.RESULT_FIELDS)} FROM congress"
                    " WHERE round_id = :round AND organisation_id = :org", round=round_id, org=organisation_id)
    return Result(*row) if row else Result()


def results_by_code(store: Store, round_id: int) -> dict[str, Result]:
    """Every congress's result in the round as recorded, by its organisation's code, in one query."""
    found = store.rows(f"SELECT o.code, {', '.join('c.' + f for f in rules.RESULT_FIELDS)} FROM congress c"
                       " JOIN organisation o ON o.id = c.organisation_id WHERE c.round_id = :round", round=round_id)
    return {code: Result(*values) for code, *values in found}


def is_sample(store: Store) -> bool:
    return store.value("SELECT 1 FROM setting WHERE key = 'sample'") is not None


# --- organisations ------------------------------------------------------------------------------


def short_name(search_name: str) -> str:
    """"dang bo phuong hai an" → "hai an": what people type."""
    for prefix in _SHORT_PREFIXES:
        if search_name.startswith(prefix):
            search_name = search_name[len(prefix) :]
            break
    for kind in _SHORT_KINDS:
        if search_name.startswith(kind):
            return search_name[len(kind) :]
    return search_name


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def organisation(store: Store, id_: int) -> Org | None:
    row = store.one(_ORG + " WHERE id = :id", id=id_)
    return _org(row) if row else None


def find_organisation(store: Store, text: str, *, nearest: bool = True, names: Names | None = None) -> Org:
    """A code wins, then an exact folded name (or short name), then a unique match (`matching`).
    nearest: a "not found" offers the closest names (a person typing; a sheet's rows go without:
    thousands of unknown names would each compare with the whole register)."""
    typed = nfc(text.strip())
    if not typed:
        raise CongressError("Chưa nhập tên hoặc mã tổ chức.")
    by_code = store.rows(_ORG + " WHERE upper(code) = :code", code=typed.upper())
    if len(by_code) == 1:
        return _org(by_code[0])
    key = bare(typed)  # "hai an", "Hải-An" and "haian" name the same
    containing = matching(store, typed, names)
    tiers = (
        [o for o in containing if loose(o.search_name) == key],
        [o for o in containing if loose(short_name(o.search_name)) == key],
        containing,
    )
    for tier in tiers:
        if len(tier) == 1:
            return tier[0]
        if tier:
            exact = [o for o in tier if typed.casefold() in (o.name.casefold(), _short_nfc(o.name))]
            if len(exact) == 1:
                return exact[0]
            raise Ambiguous(
                f"«{text}» khớp với {len(tier)} tổ chức; hãy gõ mã hoặc tên đầy đủ hơn:", [describe(o) for o in tier]
            )
    raise NotFound(f"Không tìm thấy tổ chức «{text}» (theo mã hoặc tên).{closest_text(store, typed) if nearest else ''}")


class Names(NamedTuple):
    """The register's names as matching reads them, read once: a sheet of thousands of rows looks each
    up without scanning the register again (the register does not change while a sheet is checked)."""

    rows: list[tuple[int, str, str, str]]  # id, search_name, and loose() of it and of the code

    @classmethod
    def of(cls, store: Store) -> "Names":
        return cls([(id_, search_name, loose(search_name), loose(code.casefold()))
                    for id_, code, search_name in store.rows("SELECT id, code, search_name FROM organisation"
                                                             " WHERE body = :body", body=_body(store))])


def _body(store: Store) -> str:
    """Names are looked for among the current round's units (a code finds any unit)."""
    return current_round(store).kind


def matching(store: Store, text: str, names: Names | None = None) -> list[Org]:
    """The organisations a typed name or code finds, by code: their folded name contains it ("hai an"
    finds Hải An); failing that, the same with spaces and punctuation ignored, in the name or the code
    ("thon so 4 vinh bao" finds "Chi bộ thôn số 4, Vĩnh Bảo", "ninh giang 03" X.NINHGIANG.03).
    The one matching of `org show`, `log`, imports, `org list --search` and the web's search."""
    key = fold(text)
    if not key:
        return []
    typed = loose(key)
    if names is None:  # one name typed: the index finds it, without reading the whole register first
        found = [_org(row) for row in store.rows(
            _ORG + " WHERE search_name LIKE :pattern ESCAPE '\\' AND body = :body ORDER BY code",
            pattern=f"%{like_escape(key)}%", body=_body(store))]
        if found or not typed:
            return found
        names, ids = Names.of(store), []  # the LIKE found nothing: straight to the loose comparison
    else:
        ids = [id_ for id_, search_name, _, _ in names.rows if key in search_name]  # what the LIKE finds
    if not ids and typed:
        ids = [id_ for id_, _, bare_name, bare_code in names.rows if typed in bare_name or typed in bare_code]
    return _orgs(store, ids)


def _orgs(store: Store, ids: list[int]) -> list[Org]:
    """The organisations of these ids, by code; a few hundred at a time (a statement's parameters are bounded)."""
    found = []
    for start in range(0, len(ids), 500):
        chunk = {f"i{n}": id_ for n, id_ in enumerate(ids[start:start + 500])}
        found += store.rows(_ORG + f" WHERE id IN ({', '.join(':' + k for k in chunk)})", **chunk)
    return sorted(map(_org, found), key=lambda o: o.code)


def closest(store: Store, text: str) -> list[Org]:
    """When nothing matches: the few organisations whose short name or code is nearest to
    what was typed, spaces and punctuation ignored, nearest first."""
    from difflib import get_close_matches

    typed = bare(text)
    if not typed:
        return []
    by_key: dict[str, int] = {}
    for id_, code, search_name in store.rows("SELECT id, code, search_name FROM organisation WHERE body = :body"
                                             " ORDER BY code", body=_body(store)):
        # the short name stands for the full one too: "chi bo …" typed with a typo is still near it
        by_key.setdefault(loose(code.casefold()), id_)
        by_key.setdefault(loose(short_name(search_name)), id_)
    ids = list(dict.fromkeys(by_key[key] for key in get_close_matches(typed, by_key, n=CLOSEST_SHOWN * 3, cutoff=0.6)))
    by_id = {o.id: o for o in _orgs(store, ids[:CLOSEST_SHOWN])}
    return [by_id[id_] for id_ in ids[:CLOSEST_SHOWN]]


def closest_text(store: Store, text: str) -> str:
    """" Có phải: …?" after a "not found", or nothing when no name is near."""
    near = "; ".join(f"{o.name} ({o.code})" for o in closest(store, text))
    return f" Có phải: {near}?" if near else ""


def _short_nfc(name: str) -> str:
    """The short name keeping diacritics, so "Cẩm Giàng" typed in full picks that one commune."""
    words = name.casefold().split()
    dropped = len(words) - len(short_name(fold(name)).split())
    return " ".join(words[dropped:])


def describe(org) -> str:
    return f"{org.code}  {org.name}"


# --- working groups -----------------------------------------------------------------------------

_GROUP = "SELECT id, number, name, leader FROM workinggroup"


def find_group(store: Store, number: int) -> Group:
    row = store.one(_GROUP + " WHERE number = :number", number=number)
    if row is None:
        raise NotFound(f"Không có tổ công tác số {number}.")
    return Group(*row)


def working_group_of(store: Store, org) -> Group | None:
    """The working group that follows an organisation: its committee's."""
    committee = rules.committee_id(org.level, org.id, org.parent_id)
    if committee is None:
        return None
    row = store.one(_GROUP + " WHERE id = (SELECT working_group_id FROM organisation WHERE id = :id)", id=committee)
    return Group(*row) if row else None


def complete_organisations(store: Store, typed: str, limit: int = 50) -> list[tuple[str, str]]:
    """(code, name) of organisations whose code starts with what was typed, or whose name (folded,
    with or without its "Đảng bộ xã…" prefix) does: "hai" offers P.HAIAN. For tab completion."""
    key = fold(typed)
    pattern = f"{like_escape(key)}%"
    rows = store.rows(
        "SELECT code, name, search_name FROM organisation"
        " WHERE lower(code) LIKE :code ESCAPE '\\' OR search_name LIKE :pattern ESCAPE '\\'"
        " OR search_name LIKE :inner ESCAPE '\\' ORDER BY code",
        code=f"{like_escape(typed.strip().lower())}%", pattern=pattern, inner=f"% {pattern}",
    )
    found = [(code, name) for code, name, search_name in rows
             if code.lower().startswith(typed.strip().lower()) or short_name(search_name).startswith(key)
             or search_name.startswith(key)]
    return found[:limit]


# --- what a report is asked for -----------------------------------------------------------------


def day_as_typed(store: Store, text: str, today: dt.date) -> dt.date:
    """A date as typed (congress.domain.dates); a missing year is the current round's year."""
    from congress.domain.dates import parse_date

    return parse_date(text, default_year=current_round(store).target_on.year, today=today)


def as_of_day(store: Store, text: str, today: dt.date) -> dt.date:
    """A day figures are counted at (or since, or issued on): within the years the tool prints."""
    from congress.domain.dates import check_as_of

    day = day_as_typed(store, text, today)
    check_as_of("Ngày", day, text)
    return day

