"""Failed sign-ins per pair (account, client address), not per account: a stranger's tries slow down
and refuse only that stranger's address, never the group's own clerks. The account's own lock-out
columns go (a lock any anonymous request could set was a switch against the group)."""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None
_AUTOINCREMENT = {"sqlite_autoincrement": True}  # ignored by PostgreSQL


def upgrade() -> None:
    op.create_table(
        "signin_failure",
        sa.Column("account", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account", "address"),
    )
    # SQLite rebuilds the table: it keeps AUTOINCREMENT (0005), so an account's id is still never given twice
    with op.batch_alter_table("account", table_kwargs=_AUTOINCREMENT) as batch:
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("account", table_kwargs=_AUTOINCREMENT) as batch:
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.drop_table("signin_failure")
