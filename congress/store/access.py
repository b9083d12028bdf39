"""Who may write what, enforced by PostgreSQL itself: a working group's role reads everything, and
logs, schedules or unlogs, records the preparation steps and the results of, only the congresses of
its own committees' organisations, whatever program it connects with.

A group role holds no INSERT, UPDATE or DELETE on any table. It writes through three functions that
run as the office's account (SECURITY DEFINER): congress_lock, congress_write (a congress's dates and
its result) and congress_write_step (a preparation step done). They check the scope, lock the
organisation's row for the length of the caller's transaction, and write the congress and its
history; the history row's time, user and group are the server's, never the client's. Without write privileges a group role can take no table lock that stops readers (LOCK
TABLE beyond ACCESS SHARE, SELECT … FOR UPDATE). Every function runs with a fixed search path,
pg_temp last, and names tables by schema, so a temporary table cannot stand in for a real one;
group roles may not create temporary tables anyway."""
from __future__ import annotations

import re
from functools import cache

from sqlalchemy import text

from congress.domain import rules
from congress.domain.errors import Allow, CongressError
from congress.domain.vn import STEP_FIELD

# Connections one group role may hold at once: its web writes (congress.web.auth opens one per write,
# keeps none) and CLI commands. Twenty groups hold at most 80 of PostgreSQL's default 100, so the office
# always finds room.
GROUP_CONNECTIONS = 4
# Large objects: PUBLIC may create them by default, and the product stores none; a script could fill
# the server's disk with them.
LARGE_OBJECT_MAKERS = ("lo_creat(integer)", "lo_create(oid)", "lo_from_bytea(oid, bytea)", "lo_import(text)",
                       "lo_import(text, oid)")
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
SAFE_PATH = "SET search_path = pg_catalog, public, pg_temp"

# Which working group each role writes for; the functions read it by session_user, which a group
# role cannot change (SET ROLE only to roles it is a member of: none).
MAPPING_TABLE = """
CREATE TABLE IF NOT EXISTS public.group_role (
    role name PRIMARY KEY,
    group_number integer NOT NULL
)
"""

# The windows and the text rule of congress.domain.rules, in the function's own variables: a group role's
# script is refused what the register refuses. Today is the server's clock in Vietnam, never a value
# the caller passes (CONGRESS_TODAY is the caller's: a script would simply pass 2099).
_DAY = "to_date(value, 'YYYY-MM-DD')"
_HELD_FITS = rules.in_span_sql(_DAY, *rules.held_window_sql("starts", rules.today_sql()))
_PLANNED_FITS = rules.in_span_sql(_DAY, *rules.planned_window_sql("starts", "level_deadline"))
_DONE = "to_date(done, 'YYYY-MM-DD')"
_DONE_FITS = (f"({rules.in_span_sql(_DONE, *rules.done_window_sql('starts', rules.today_sql(), 'held'))}"
              f" AND {rules.is_active_sql('dissolved', _DONE)})")
_RESULT_HELD = rules.is_held_sql("held", rules.today_sql())
# A result's columns: whole numbers (bounded, and paired, by the table's CHECK: rules.result_fits_sql) or text
RESULT_NUMBERS = ("contents",) + rules.RESULT_COUNTS
RESULT_TEXTS = tuple(f for f in rules.RESULT_FIELDS if f not in RESULT_NUMBERS)
_WHOLE = "'^-?[0-9]{1,9}$'"  # more digits are past rules.MAX_RESULT anyway, and past an integer's range


def _listed(names) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _round_start() -> str:
    return f"""
    SELECT {rules.round_start_sql('r.starts_on', 'r.name')}, coalesce(l.deadline_on, r.deadline_on)
        INTO starts, level_deadline
        FROM public.round r JOIN public.organisation o ON o.id = for_org
        LEFT JOIN public.roundlevel l ON l.round_id = r.id AND l.level = o.level
        WHERE r.id = in_round;
"""


def _value_checks() -> str:
    return f"""{_round_start()}
    IF value IS NOT NULL AND ((field_name = 'held_on' AND NOT {_HELD_FITS})
                              OR (field_name = 'planned_on' AND NOT {_PLANNED_FITS})
                              OR (field_name = 'is_pilot' AND value NOT IN ('True', 'False'))) THEN
        RAISE EXCEPTION 'congress refuses % = %', field_name, value USING ERRCODE = 'check_violation';
    END IF;
    IF value IS NOT NULL AND ((field_name IN ({_listed(RESULT_NUMBERS)}) AND value !~ {_WHOLE})
                              OR (field_name = 'result_note' AND NOT {rules.note_fits_sql('value')})) THEN
        RAISE EXCEPTION 'congress refuses % = %', field_name, value USING ERRCODE = 'check_violation';
    END IF;
    IF why IS NOT NULL AND NOT {rules.note_fits_sql('why')} THEN
        RAISE EXCEPTION 'congress refuses the note' USING ERRCODE = 'check_violation';
    END IF;
"""


def _old_value() -> str:
    """The value congress_write replaces, as history stores it (register.stored_text): dates in ISO,
    booleans as Python writes them, numbers and text as they are."""
    results = "\n".join(f"                           WHEN '{f}' THEN {f}::text" for f in rules.RESULT_FIELDS)
    return f"""CASE field_name WHEN 'planned_on' THEN to_char(planned_on, 'YYYY-MM-DD')
                           WHEN 'held_on' THEN to_char(held_on, 'YYYY-MM-DD')
                           WHEN 'is_pilot' THEN CASE WHEN is_pilot THEN 'True' ELSE 'False' END
{results}
                           END"""


def _result_updates() -> str:
    return "".join(
        f"\n        {f} = CASE WHEN field_name = '{f}' THEN value{'::integer' if f in RESULT_NUMBERS else ''}"
        f" ELSE {f} END,"
        for f in rules.RESULT_FIELDS
    )


@cache  # built when grant-group installs them: the note rule's character class walks all of Unicode (0,7 s)
def functions() -> list[str]:
    return [
    f"""
CREATE OR REPLACE FUNCTION public.congress_group() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER {SAFE_PATH} AS $$
    SELECT group_number FROM public.group_role WHERE role = session_user
$$
""",
    # True when the organisation is a committee of group N, or a grassroots organisation under one.
    f"""
CREATE OR REPLACE FUNCTION public.congress_in_group(org_id integer, group_number integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {SAFE_PATH} AS $$
    SELECT EXISTS (
        SELECT 1
        FROM public.organisation o
        JOIN public.organisation c ON c.id = CASE WHEN o.level = 'committee' THEN o.id
                                                  WHEN o.level = 'grassroots' THEN o.parent_id END
        JOIN public.workinggroup g ON g.id = c.working_group_id
        WHERE o.id = org_id AND g.number = group_number
    )
$$
""",
    # register.lock for a group role: false (and nothing locked) outside its scope, so that congress's
    # own scope message can speak first; inside it, the organisation's row stays locked until the
    # caller's transaction ends, and the round's congress row exists for register to update.
    f"""
CREATE OR REPLACE FUNCTION public.congress_lock(for_org integer, in_round integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER {SAFE_PATH} AS $$
BEGIN
    IF NOT coalesce(public.congress_in_group(for_org, public.congress_group()), false) THEN
        RETURN false;
    END IF;
    -- a congress only in a round the organisation belongs to: its kind's, at a level of its tree (issue 19)
    IF NOT EXISTS (SELECT 1 FROM public.organisation o JOIN public.round r ON r.kind = o.body
                   JOIN public.level_name n ON n.kind = r.kind AND n.level = o.level
                   WHERE o.id = for_org AND r.id = in_round) THEN
        RAISE EXCEPTION 'permission denied for the congress of organisation % in round %', for_org, in_round
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM 1 FROM public.organisation WHERE id = for_org FOR NO KEY UPDATE;
    INSERT INTO public.congress (round_id, organisation_id, is_pilot) VALUES (in_round, for_org, false)
        ON CONFLICT (round_id, organisation_id) DO NOTHING;
    RETURN true;
END
$$
""",
    # One value of one congress and its history row. Only what log, schedule, unlog, result and undo
    # write: a group role never sets a round, an organisation or a setting.
    f"""
CREATE OR REPLACE FUNCTION public.congress_write(
    for_org integer, in_round integer, what text, field_name text, value text, why text, command_id text
) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER {SAFE_PATH} AS $$
DECLARE
    own_group integer := public.congress_group();
    old text;
    starts date;
    level_deadline date;
    held date;
BEGIN
    IF own_group IS NULL OR NOT public.congress_in_group(for_org, own_group) THEN
        RAISE EXCEPTION 'permission denied for the congress of organisation %', for_org
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT ((what = 'log' AND field_name = 'held_on' AND value IS NOT NULL)
            OR (what = 'unlog' AND field_name = 'held_on' AND value IS NULL)
            OR (what = 'schedule' AND field_name IN ('planned_on', 'is_pilot'))
            OR (what = 'result' AND field_name IN ({_listed(rules.RESULT_FIELDS)}) AND value IS NOT NULL)
            OR (what = 'undo' AND field_name IN ('planned_on', 'held_on', 'is_pilot', {_listed(rules.RESULT_FIELDS)}))) THEN
        RAISE EXCEPTION 'permission denied for % of %', what, field_name USING ERRCODE = 'insufficient_privilege';
    END IF;
{_value_checks()}    PERFORM public.congress_lock(for_org, in_round);
    SELECT {_old_value()}, held_on
        INTO old, held
        FROM public.congress WHERE round_id = in_round AND organisation_id = for_org FOR UPDATE;
    -- a result only for a congress held (as register.check_result); taking one back is always allowed
    IF field_name IN ({_listed(rules.RESULT_FIELDS)}) AND value IS NOT NULL AND NOT {_RESULT_HELD} THEN
        RAISE EXCEPTION 'congress refuses a result of a congress not held' USING ERRCODE = 'check_violation';
    END IF;
    -- a result that cannot be true is refused by the table's CHECK (rules.result_fits_sql)
    UPDATE public.congress SET
        planned_on = CASE WHEN field_name = 'planned_on' THEN to_date(value, 'YYYY-MM-DD') ELSE planned_on END,
        held_on = CASE WHEN field_name = 'held_on' THEN to_date(value, 'YYYY-MM-DD') ELSE held_on END,
        is_pilot = CASE WHEN field_name = 'is_pilot' THEN value = 'True' ELSE is_pilot END,{_result_updates()}
        note = CASE WHEN what IN ('log', 'schedule') AND why IS NOT NULL THEN why ELSE note END
        WHERE round_id = in_round AND organisation_id = for_org;
    -- author as register.author writes it on PostgreSQL: what undo matches on
    INSERT INTO public.change (at, "user", author, working_group, organisation_id, action, field, old_value,
                               new_value, note, command, round_id)
        VALUES (date_trunc('second', now()), session_user, 'pg:' || session_user, own_group, for_org, what,
                field_name, old, value, why, command_id, in_round);
END
$$
""",
    # One preparation step of one congress (its congress_step row) and its history row ("step:<code>"):
    # what step, step --undone and undo write. `done` is the day (ISO) or NULL; `step_note` the row's note
    # (step: NULL keeps the one it has; undo: the note put back, and with no day either the row goes, as it
    # was before the step was first recorded); `why` history's note (unstep's reason, undo's own).
    f"""
CREATE OR REPLACE FUNCTION public.congress_write_step(
    for_org integer, in_round integer, what text, step_code text, done text, step_note text, why text,
    command_id text
) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER {SAFE_PATH} AS $$
DECLARE
    own_group integer := public.congress_group();
    the_step integer;
    step_retired boolean;
    stored integer;
    old_done date;
    starts date;
    level_deadline date;
    held date;
    dissolved date;
BEGIN
    IF own_group IS NULL OR NOT public.congress_in_group(for_org, own_group) THEN
        RAISE EXCEPTION 'permission denied for the congress of organisation %', for_org
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT ((what = 'step' AND done IS NOT NULL AND why IS NULL)
            OR (what = 'unstep' AND done IS NULL AND step_note IS NULL AND why IS NOT NULL)
            OR what = 'undo') THEN
        RAISE EXCEPTION 'permission denied for % of a preparation step', what USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT s.id, s.retired INTO the_step, step_retired
        FROM public.preparation_step s WHERE s.round_id = in_round AND s.code = step_code;
    IF the_step IS NULL OR (what = 'step' AND step_retired) THEN
        RAISE EXCEPTION 'congress refuses the step %', step_code USING ERRCODE = 'check_violation';
    END IF;
    IF (step_note IS NOT NULL AND NOT {rules.note_fits_sql('step_note')})
       OR (why IS NOT NULL AND NOT {rules.note_fits_sql('why')}) THEN
        RAISE EXCEPTION 'congress refuses the note' USING ERRCODE = 'check_violation';
    END IF;
    PERFORM public.congress_lock(for_org, in_round);
{_round_start()}
    SELECT c.held_on, o.dissolved_on INTO held, dissolved
        FROM public.organisation o
        LEFT JOIN public.congress c ON c.organisation_id = o.id AND c.round_id = in_round
        WHERE o.id = for_org;
    -- as register.check_step: from the round's start to today, never after the congress was held, nor
    -- once the organisation is dissolved
    IF done IS NOT NULL AND NOT {_DONE_FITS} THEN
        RAISE EXCEPTION 'congress refuses % = %', step_code, done USING ERRCODE = 'check_violation';
    END IF;
    SELECT cs.id, cs.done_on INTO stored, old_done
        FROM public.congress_step cs
        WHERE cs.round_id = in_round AND cs.organisation_id = for_org AND cs.step_id = the_step FOR UPDATE;
    IF what = 'unstep' AND old_done IS NULL THEN
        RAISE EXCEPTION 'congress refuses to withdraw a step not done' USING ERRCODE = 'check_violation';
    END IF;
    IF what = 'undo' AND done IS NULL AND step_note IS NULL THEN
        DELETE FROM public.congress_step WHERE id = stored;
    ELSIF stored IS NULL THEN
        INSERT INTO public.congress_step (round_id, organisation_id, step_id, done_on, note)
            VALUES (in_round, for_org, the_step, {_DONE}, step_note);
    ELSE
        UPDATE public.congress_step SET
            done_on = {_DONE},
            note = CASE what WHEN 'step' THEN coalesce(step_note, note) WHEN 'undo' THEN step_note ELSE note END
            WHERE id = stored;
    END IF;
    INSERT INTO public.change (at, "user", author, working_group, organisation_id, action, field, old_value,
                               new_value, note, command, round_id)
        VALUES (date_trunc('second', now()), session_user, 'pg:' || session_user, own_group, for_org, what,
                '{STEP_FIELD}' || step_code, to_char(old_done, 'YYYY-MM-DD'), to_char({_DONE}, 'YYYY-MM-DD'),
                CASE WHEN what = 'step' THEN step_note ELSE why END, command_id, in_round);
END
$$
""",
    ]


GRANT_ATTEMPTS = 3


def grant_group(engine, group_number: int, role: str) -> bool:
    """Gives ROLE the rights of working group N; returns whether the role was created here. The office's
    account owns the data but may lack CREATEROLE: then the role must exist already.

    GRANT and REVOKE on the database rewrite its catalogue row, which autovacuum also updates now and
    then (its frozen transaction id): PostgreSQL then refuses one of the two with "tuple concurrently
    updated". The whole grant is one transaction and may be run again, so it is, a few times."""
    from sqlalchemy.exc import DBAPIError

    for attempt in range(1, GRANT_ATTEMPTS + 1):
        try:
            return _grant_group(engine, group_number, role)
        except DBAPIError as error:
            if attempt == GRANT_ATTEMPTS or "tuple concurrently updated" not in str(error.orig):
                raise


def _grant_group(engine, group_number: int, role: str) -> bool:
    if engine.dialect.name != "postgresql":
        raise CongressError("Phân quyền tổ công tác do máy chủ PostgreSQL thực thi.", allow=Allow.NAME_GROUP)
    if not ROLE_NAME.fullmatch(role):
        raise CongressError(
            f"Tên tài khoản «{role}» không hợp lệ: chỉ chữ thường không dấu, chữ số và dấu _, bắt đầu bằng chữ."
        )
    with engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM workinggroup WHERE number = :n"), {"n": group_number}).first() is None:
            raise CongressError(f"Không có tổ công tác số {group_number}.")
        found = conn.execute(text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = :r"), {"r": role})
        existing = found.first()
        if existing is not None and existing[0]:
            raise CongressError(f"Tài khoản {role} có quyền quản trị máy chủ; không dùng nó cho một tổ công tác.")
        new = existing is None
        if new:
            may_create = conn.execute(
                text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
            ).scalar()
            if not may_create:
                raise CongressError(
                    f"Chưa có tài khoản {role} trên máy chủ, và tài khoản đang dùng không được tạo tài khoản. "
                    f"Trên máy chủ, với tài khoản postgres, chạy: createuser --pwprompt "
                    f"--connection-limit={GROUP_CONNECTIONS} {role}; rồi chạy lại lệnh này."
                )
            conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        _bound_connections(conn, role)
        database = conn.execute(text("SELECT current_database()")).scalar()
        if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
            conn.execute(text(revoke_large_objects()))  # only their owner, postgres, may
        if conn.execute(text("SELECT has_function_privilege(:r, 'pg_catalog.lo_create(oid)', 'EXECUTE')"),
                        {"r": role}).scalar():
            raise CongressError(
                f"Tài khoản {role} vẫn tạo được large object (PostgreSQL cho mọi tài khoản; congress không dùng). "
                f"Trên máy chủ, với tài khoản postgres, chạy một lần: psql -d {database} -c "
                f"'{revoke_large_objects()}'; rồi chạy lại lệnh này."
            )
        # PUBLIC may create temporary tables by default; nobody but the office needs them
        conn.execute(text(f'REVOKE TEMPORARY ON DATABASE "{database}" FROM PUBLIC, {role}'))
        conn.execute(text(f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {role}"))
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {role}'))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        conn.execute(text(MAPPING_TABLE))
        # a database set up by an earlier congress granted writes and per-role policies: taken back
        conn.execute(text(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM {role}"))
        conn.execute(text(f"REVOKE USAGE ON ALL SEQUENCES IN SCHEMA public FROM {role}"))
        for suffix in ("adds", "changes"):
            conn.execute(text(f"DROP POLICY IF EXISTS {role}_{suffix} ON congress"))
        conn.execute(text(f"DROP POLICY IF EXISTS {role}_records ON change"))
        conn.execute(text(
            "INSERT INTO public.group_role (role, group_number) VALUES (:r, :n) "
            "ON CONFLICT (role) DO UPDATE SET group_number = excluded.group_number"
        ), {"r": role, "n": group_number})
        install(conn)
    return new


# What a group role may call, by signature; every other function it may not.
SIGNATURES = ("congress_group()", "congress_in_group(integer, integer)", "congress_lock(integer, integer)",
              "congress_write(integer, integer, text, text, text, text, text)",
              "congress_write_step(integer, integer, text, text, text, text, text, text)")
# The tables a group writes through the functions: row-level security on, a policy to read only
WRITTEN_THROUGH_FUNCTIONS = ("congress", "change", "congress_step", "preparation_step")


def install(conn) -> None:
    """The functions as this congress writes them, and every mapped group role's rights to read and to
    call them: at grant-group, and by the migration that changes them (an existing register's roles get
    the new functions on `db upgrade`). Needs the mapping table."""
    for function in functions():
        conn.execute(text(function))
    for signature in SIGNATURES:
        conn.execute(text(f"REVOKE ALL ON FUNCTION public.{signature} FROM PUBLIC"))
    for table in WRITTEN_THROUGH_FUNCTIONS:
        # should a write privilege ever be granted by hand, no policy lets a non-owner write a row
        conn.execute(text(f"ALTER TABLE public.{table} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"DROP POLICY IF EXISTS everyone_reads ON public.{table}"))
        conn.execute(text(f"CREATE POLICY everyone_reads ON public.{table} FOR SELECT USING (true)"))
    # a role dropped on the server since it was granted keeps its mapping row, and nothing to grant
    for (role,) in conn.execute(text(
        "SELECT m.role FROM public.group_role m JOIN pg_roles r ON r.rolname = m.role ORDER BY m.role"
    )).all():
        if not ROLE_NAME.fullmatch(role):  # a row written by hand, not by grant-group: never put into SQL
            continue
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))  # tables added since too
        for signature in SIGNATURES:
            conn.execute(text(f"GRANT EXECUTE ON FUNCTION public.{signature} TO {role}"))


def _bound_connections(conn, role: str) -> None:
    """At most GROUP_CONNECTIONS connections for the role: set here when the office's account may,
    else required already set by the server's administrator."""
    may_alter = conn.execute(text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")).scalar()
    if may_alter:
        conn.execute(text(f"ALTER ROLE {role} CONNECTION LIMIT {GROUP_CONNECTIONS}"))
        return
    limit = conn.execute(text("SELECT rolconnlimit FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if not 0 < limit <= GROUP_CONNECTIONS:
        raise CongressError(
            f"Tài khoản {role} chưa giới hạn số kết nối. Trên máy chủ, với tài khoản postgres, chạy: "
            f"psql -c 'ALTER ROLE {role} CONNECTION LIMIT {GROUP_CONNECTIONS}'; rồi chạy lại lệnh này."
        )


def revoke_large_objects() -> str:
    return "REVOKE EXECUTE ON FUNCTION " + ", ".join(f"pg_catalog.{m}" for m in LARGE_OBJECT_MAKERS) + " FROM PUBLIC"
