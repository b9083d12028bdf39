"""The whole congress: a round's preparation steps, the steps each congress has done, and its result.

An existing round gets the default steps of the 2025–2030 Party round (congress.domain.rules.DEFAULT_STEPS),
none of them done yet: the register never knew them. Every existing row is kept as it is.
"""
from alembic import op
import sqlalchemy as sa

from congress.domain.rules import DEFAULT_STEPS, result_fits_sql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_COUNTS = ("contents", "committee_members", "standing_members", "delegates", "present", "women", "under_40", "ethnic",
           "first_time", "delegates_up")
_CHOICES = ("committee_by", "secretary_by", "result_note")


def upgrade() -> None:
    with op.batch_alter_table("congress") as batch:
        for name in _COUNTS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
        for name in _CHOICES:
            batch.add_column(sa.Column(name, sa.String(), nullable=True))
        batch.create_check_constraint("congress_result_fits", result_fits_sql())
    op.create_table(
        "preparation_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "code"),
    )
    op.create_index("ix_preparation_step_round_id", "preparation_step", ["round_id"])
    op.create_table(
        "congress_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["step_id"], ["preparation_step.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "organisation_id", "step_id"),
    )
    for column in ("round_id", "organisation_id", "step_id"):
        op.create_index(f"ix_congress_step_{column}", "congress_step", [column])
    steps = sa.table("preparation_step", sa.column("round_id"), sa.column("code"), sa.column("name"),
                     sa.column("days_before"), sa.column("position"), sa.column("retired"))
    rounds = [row[0] for row in op.get_bind().execute(sa.text("SELECT id FROM round ORDER BY id"))]
    op.bulk_insert(steps, [dict(round_id=r, code=code, name=name, days_before=days, position=n, retired=False)
                           for r in rounds for n, (code, name, days) in enumerate(DEFAULT_STEPS, 1)])


def downgrade() -> None:
    op.drop_table("congress_step")
    op.drop_table("preparation_step")
    with op.batch_alter_table("congress") as batch:
        batch.drop_constraint("congress_result_fits", type_="check")
        for name in _COUNTS + _CHOICES:
            batch.drop_column(name)
