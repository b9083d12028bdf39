"""Each history row names the command that wrote it, so undo reverts a whole command however long it ran.

Before this revision a command was known only by its rows sharing one user, one second and one
action; those groups get one id each: the group's first row id, prefixed with "h" so it can never
equal an id a command makes (uuid4 hex: digits and a–f only).
"""
from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("command", sa.String(), nullable=True))
        batch_op.create_index("ix_change_command", ["command"], unique=False)
        batch_op.create_index("ix_change_organisation_id_field_at", ["organisation_id", "field", "at"], unique=False)
    # "user" is a reserved word in PostgreSQL: quoted. The index on at finds each row's group.
    op.execute(
        'UPDATE change SET command = (SELECT \'h\' || CAST(min(same.id) AS VARCHAR) FROM change AS same '
        'WHERE same."user" = change."user" AND same.at = change.at AND same.action = change.action) '
        "WHERE command IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_index("ix_change_organisation_id_field_at")
        batch_op.drop_index("ix_change_command")
        batch_op.drop_column("command")
