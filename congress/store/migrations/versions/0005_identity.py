"""Each history row names who wrote it in a form no other login can take.

`author` is `cli:<OS user>` for the command line on SQLite, `web:<account id>` for a browser account on
SQLite, `pg:<role>` for anything on PostgreSQL (the role the server signed in). `user` stays as the name
shown to clerks. Rows from before this revision keep their `user` and get no author: no login matches
it, so nobody can undo them (a typed name was all they had, and any new account could take it).
An account's id is never reused (AUTOINCREMENT), or a new account could take a removed one's history.
"""
from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.String(), nullable=True))
        batch_op.create_index("ix_change_author", ["author"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # set after the column exists, so old rows stay nobody's; a congress_write installed by an
        # older version (grant-group not run again yet) then records the role too
        op.execute("ALTER TABLE change ALTER COLUMN author SET DEFAULT ('pg:' || session_user)")
    if op.get_bind().dialect.name == "sqlite":  # PostgreSQL's sequences never give an id twice
        with op.batch_alter_table("account", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass


def downgrade() -> None:
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_index("ix_change_author")
        batch_op.drop_column("author")
