"""A working group's PostgreSQL role records its own congresses' preparation steps and results: the server's
functions (congress.store.access) as this congress writes them — congress_write takes a result's fields,
congress_write_step is new — and every mapped role's rights to read the tables of 0007 and to call them.
Nothing to do on SQLite, nor on a server where no group role was ever granted (grant-group installs them).
No row changes."""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _granted(bind) -> bool:
    return bind.dialect.name == "postgresql" and bool(
        bind.execute(sa.text("SELECT to_regclass('public.group_role') IS NOT NULL")).scalar())


def upgrade() -> None:
    from congress.store import access

    bind = op.get_bind()
    if _granted(bind):
        access.install(bind)


def downgrade() -> None:
    # congress_write keeps taking a result's fields: 0007 has their columns
    bind = op.get_bind()
    if _granted(bind):
        bind.execute(sa.text(
            "DROP FUNCTION IF EXISTS public.congress_write_step(integer, integer, text, text, text, text, text, text)"))
