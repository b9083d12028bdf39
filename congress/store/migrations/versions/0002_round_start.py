"""A round's start date, so a congress recorded before its round began can be found.

The 2025–2030 round opened with Chỉ thị 35-CT/TW of the Politburo (14/6/2024) on congresses
at all levels; an existing round of that name gets that date.
"""
from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
    op.execute("UPDATE round SET starts_on = '2024-06-14' WHERE name = '2025-2030'")


def downgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("starts_on")
