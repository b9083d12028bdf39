"""Who may write what, enforced by PostgreSQL itself: a working group's role reads everything, and
logs, schedules or unlogs only the congresses of its own committees' organisations, whatever
program it connects with.

A group role holds no INSERT, UPDATE or DELETE on any table. It writes through two functions that
run as the office's account (SECURITY DEFINER): congress_lock and congress_write. They check the
scope, lock the organisation's row for the length of the caller's transaction, and write the
congress and its history; the history row's time, user and group are the server's, never the
client's. Without write privileges a group role can take no table lock that stops readers (LOCK
TABLE beyond ACCESS SHARE, SELECT … FOR UPDATE). Every function runs with a fixed search path,
pg_temp last, and names tables by schema, so a temporary table cannot stand in for a real one;
group roles may not create temporary tables anyway."""
from __future__ import annotations

import re
from functools import cache

from sqlalchemy import text

from congress.domain import rules
from congress.domain.errors import Allow, CongressError

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


def _value_checks() -> str:
    return f"""
    SELECT {rules.round_start_sql('r.starts_on', 'r.name')}, coalesce(l.deadline_on, r.deadline_on)
        INTO starts, level_deadline
        FROM public.round r JOIN public.organisation o ON o.id = for_org
        LEFT JOIN public.roundlevel l ON l.round_id = r.id AND l.level = o.level
        WHERE r.id = in_round;
    IF value IS NOT NULL AND ((field_name = 'held_on' AND NOT {_HELD_FITS})
                              OR (field_name = 'planned_on' AND NOT {_PLANNED_FITS})
                              OR (field_name = 'is_pilot' AND value NOT IN ('True', 'False'))) THEN
        RAISE EXCEPTION 'congress refuses % = %', field_name, value USING ERRCODE = 'check_violation';
    END IF;
    IF why IS NOT NULL AND NOT {rules.note_fits_sql('why')} THEN
        RAISE EXCEPTION 'congress refuses the note' USING ERRCODE = 'check_violation';
    END IF;
"""


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
    PERFORM 1 FROM public.organisation WHERE id = for_org FOR NO KEY UPDATE;
    INSERT INTO public.congress (round_id, organisation_id, is_pilot) VALUES (in_round, for_org, false)
        ON CONFLICT (round_id, organisation_id) DO NOTHING;
    RETURN true;
END
$$
""",
    # One value of one congress and its history row. Only what log, schedule, unlog and undo write:
    # a group role never sets a round, an organisation or a setting.
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
BEGIN
    IF own_group IS NULL OR NOT public.congress_in_group(for_org, own_group) THEN
        RAISE EXCEPTION 'permission denied for the congress of organisation %', for_org
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT ((what = 'log' AND field_name = 'held_on' AND value IS NOT NULL)
            OR (what = 'unlog' AND field_name = 'held_on' AND value IS NULL)
            OR (what = 'schedule' AND field_name IN ('planned_on', 'is_pilot'))
            OR (what = 'undo' AND field_name IN ('planned_on', 'held_on', 'is_pilot'))) THEN
        RAISE EXCEPTION 'permission denied for % of %', what, field_name USING ERRCODE = 'insufficient_privilege';
    END IF;
{_value_checks()}    PERFORM public.congress_lock(for_org, in_round);
    -- history stores dates in ISO and booleans as Python writes them (register.stored_text)
    SELECT CASE field_name WHEN 'planned_on' THEN to_char(planned_on, 'YYYY-MM-DD')
                           WHEN 'held_on' THEN to_char(held_on, 'YYYY-MM-DD')
                           ELSE CASE WHEN is_pilot THEN 'True' ELSE 'False' END END
        INTO old
        FROM public.congress WHERE round_id = in_round AND organisation_id = for_org FOR UPDATE;
    UPDATE public.congress SET
        planned_on = CASE WHEN field_name = 'planned_on' THEN to_date(value, 'YYYY-MM-DD') ELSE planned_on END,
        held_on = CASE WHEN field_name = 'held_on' THEN to_date(value, 'YYYY-MM-DD') ELSE held_on END,
        is_pilot = CASE WHEN field_name = 'is_pilot' THEN value = 'True' ELSE is_pilot END,
        note = CASE WHEN what IN ('log', 'schedule') AND why IS NOT NULL THEN why ELSE note END
        WHERE round_id = in_round AND organisation_id = for_org;
    -- author as register.author writes it on PostgreSQL: what undo matches on
    INSERT INTO public.change (at, "user", author, working_group, organisation_id, action, field, old_value,
                               new_value, note, command)
        VALUES (date_trunc('second', now()), session_user, 'pg:' || session_user, own_group, for_org, what,
                field_name, old, value, why, command_id);
END
$$
""",
    ]


def grant_group(engine, group_number: int, role: str) -> bool:
    """Gives ROLE the rights of working group N; returns whether the role was created here. The office's
    account owns the data but may lack CREATEROLE: then the role must exist already."""
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
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
        # a database set up by an earlier congress granted writes and per-role policies: taken back
        conn.execute(text(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM {role}"))
        conn.execute(text(f"REVOKE USAGE ON ALL SEQUENCES IN SCHEMA public FROM {role}"))
        for suffix in ("adds", "changes"):
            conn.execute(text(f"DROP POLICY IF EXISTS {role}_{suffix} ON congress"))
        conn.execute(text(f"DROP POLICY IF EXISTS {role}_records ON change"))
        for function in functions():
            conn.execute(text(function))
        for signature in ("congress_group()", "congress_in_group(integer, integer)",
                          "congress_lock(integer, integer)",
                          "congress_write(integer, integer, text, text, text, text, text)"):
            conn.execute(text(f"REVOKE ALL ON FUNCTION public.{signature} FROM PUBLIC"))
            conn.execute(text(f"GRANT EXECUTE ON FUNCTION public.{signature} TO {role}"))
        conn.execute(text(
            "INSERT INTO public.group_role (role, group_number) VALUES (:r, :n) "
            "ON CONFLICT (role) DO UPDATE SET group_number = excluded.group_number"
        ), {"r": role, "n": group_number})
        for table in ("congress", "change"):
            # should a write privilege ever be granted by hand, no policy lets a non-owner write a row
            conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
            conn.execute(text(f"DROP POLICY IF EXISTS everyone_reads ON {table}"))
            conn.execute(text(f"CREATE POLICY everyone_reads ON {table} FOR SELECT USING (true)"))
    return new


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
