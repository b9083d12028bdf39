"""Who may write what, enforced by PostgreSQL itself: a working group's role reads everything,
and logs, schedules or unlogs only the congresses of its own committees' organisations
(row-level security), whatever program it connects with."""
from __future__ import annotations

import re

from sqlalchemy import text

from congress.errors import CongressError

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

# True when the organisation is a committee of group N, or a grassroots organisation under one.
SCOPE_FUNCTION = """
CREATE OR REPLACE FUNCTION congress_in_group(org_id integer, group_number integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (
        SELECT 1
        FROM organisation o
        JOIN organisation c ON c.id = CASE WHEN o.level = 'committee' THEN o.id
                                           WHEN o.level = 'grassroots' THEN o.parent_id END
        JOIN workinggroup g ON g.id = c.working_group_id
        WHERE o.id = org_id AND g.number = group_number
    )
$$
"""


def grant_group(engine, group_number: int, role: str) -> bool:
    """Creates (or updates) ROLE for working group N; returns whether the role is new."""
    if engine.dialect.name != "postgresql":
        raise CongressError(
            "Phân quyền tổ công tác do máy chủ PostgreSQL thực thi; với SQLite, hãy dùng --group khi ghi."
        )
    if not ROLE_NAME.fullmatch(role):
        raise CongressError(
            f"Tên tài khoản «{role}» không hợp lệ: chỉ chữ thường không dấu, chữ số và dấu _, bắt đầu bằng chữ."
        )
    with engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM workinggroup WHERE number = :n"), {"n": group_number}).first() is None:
            raise CongressError(f"Không có tổ công tác số {group_number}.")
        new = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is None
        if new:
            conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        database = conn.execute(text("SELECT current_database()")).scalar()
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {role}'))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT INSERT, UPDATE ON congress TO {role}"))
        conn.execute(text(f"GRANT INSERT ON change TO {role}"))
        conn.execute(text(SCOPE_FUNCTION))
        for table in ("congress", "change"):
            conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
            # everyone reads everything; the owner (the office's account) is not bound by policies
            conn.execute(text(f"DROP POLICY IF EXISTS everyone_reads ON {table}"))
            conn.execute(text(f"CREATE POLICY everyone_reads ON {table} FOR SELECT USING (true)"))
        in_scope = f"congress_in_group(organisation_id, {int(group_number)})"
        conn.execute(text(f"DROP POLICY IF EXISTS {role}_adds ON congress"))
        conn.execute(text(f"CREATE POLICY {role}_adds ON congress FOR INSERT TO {role} WITH CHECK ({in_scope})"))
        conn.execute(text(f"DROP POLICY IF EXISTS {role}_changes ON congress"))
        conn.execute(text(
            f"CREATE POLICY {role}_changes ON congress FOR UPDATE TO {role} USING ({in_scope}) WITH CHECK ({in_scope})"
        ))
        conn.execute(text(f"DROP POLICY IF EXISTS {role}_records ON change"))
        conn.execute(text(
            f"CREATE POLICY {role}_records ON change FOR INSERT TO {role} "
            f"WITH CHECK (organisation_id IS NOT NULL AND {in_scope})"
        ))
    return new
