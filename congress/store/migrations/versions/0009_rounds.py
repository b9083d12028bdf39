"""Every round in one register (issue 19). A round has a kind (the Party's, the Front's, a mass
organisation's: table round_kind, the office may add more), a term as printed (2025–2030) and may be
closed, read-only. An organisation holds congresses in the rounds of its kind (organisation.body) and
may name the unit of another kind's tree that stands for the same place (same_place_id); the levels of
each kind's tree are data (table level_name). History names the round each change was made in
(change.round_id; NULL for the register's own organisations, working groups and settings,
rules.is_of_round).

An existing round is a Party round, its term read from its name ("2025-2030" → 2025–2030), open; every
organisation a Party unit; old history is filed under the one round there was. The database refuses
every write to a closed round's congresses, steps and levels (triggers, on both backends), whoever
writes: congress's own check says so first, in Vietnamese, naming the round. Every existing row is kept.
"""
from alembic import op
import sqlalchemy as sa

from congress.domain.rules import DEFAULT_ROUND_KINDS, PARTY_KIND, is_of_round_sql, term_of
from congress.domain.vn import level_names

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# the tables whose rows belong to one round (round_id)
ROUND_TABLES = ("congress", "congress_step", "preparation_step", "roundlevel")
REFUSAL = "congress refuses a write to a closed round"  # congress.store.database.explain words it


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "round_kind",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    kinds = sa.table("round_kind", sa.column("code"), sa.column("name"), sa.column("title"))
    op.bulk_insert(kinds, [dict(code=code, name=name, title=title) for code, name, title in DEFAULT_ROUND_KINDS])
    op.create_table(
        "level_name",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "level"),
    )
    names = sa.table("level_name", sa.column("kind"), sa.column("level"), sa.column("name"))
    op.bulk_insert(names, [dict(kind=code, level=level, name=name) for code, _name, _title in DEFAULT_ROUND_KINDS
                           for level, name in level_names(code).items()])
    # Columns added in place (SQLite: ALTER TABLE ADD COLUMN). Batch mode would copy round to a new table
    # and drop the old one, which SQLite refuses while steps and congresses point to it. SQLite cannot add
    # a column that references another table and has a default, so there round.kind is checked by
    # congress (register.add_round) and the server's foreign key is PostgreSQL's only.
    op.add_column("round", sa.Column("kind", sa.String(), nullable=False, server_default=PARTY_KIND))
    op.add_column("round", sa.Column("term", sa.String(), nullable=False, server_default=""))
    op.add_column("round", sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("organisation", sa.Column("body", sa.String(), nullable=False, server_default=PARTY_KIND))
    op.create_index("ix_organisation_body", "organisation", ["body"])
    if bind.dialect.name == "sqlite":  # a reference that may be NULL is one SQLite adds in place
        op.execute("ALTER TABLE organisation ADD COLUMN same_place_id INTEGER REFERENCES organisation (id)")
    else:
        op.add_column("organisation", sa.Column("same_place_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_organisation_same_place", "organisation", "organisation", ["same_place_id"], ["id"])
        op.create_foreign_key("fk_organisation_body", "organisation", "round_kind", ["body"], ["code"])
    for id_, name in bind.execute(sa.text("SELECT id, name FROM round")).all():
        bind.execute(sa.text("UPDATE round SET term = :term WHERE id = :id"), dict(term=term_of(name) or name, id=id_))
    with op.batch_alter_table("change") as batch:  # nothing points to a history row: SQLite may copy it
        batch.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_change_round", "round", ["round_id"], ["id"])
        batch.create_index("ix_change_round_id", ["round_id"])
    if bind.dialect.name == "postgresql":
        op.create_foreign_key("fk_round_kind", "round", "round_kind", ["kind"], ["code"])
    op.execute("UPDATE change SET round_id = (SELECT max(id) FROM round)"
               f" WHERE {is_of_round_sql('action', 'field')}")
    if bind.dialect.name == "postgresql" and bind.execute(
            sa.text("SELECT to_regclass('public.group_role') IS NOT NULL")).scalar():
        from congress.store import access

        access.install(bind)  # congress_write and congress_write_step now file history under their round
    if bind.dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION public.congress_round_open() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                of_round integer;
            BEGIN
                IF TG_OP = 'DELETE' THEN of_round := OLD.round_id; ELSE of_round := NEW.round_id; END IF;
                IF (SELECT closed FROM public.round WHERE id = of_round)
                   OR (TG_OP = 'UPDATE' AND (SELECT closed FROM public.round WHERE id = OLD.round_id)) THEN
                    RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'check_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$""")
        for table in ROUND_TABLES:
            op.execute(f"CREATE TRIGGER {table}_round_open BEFORE INSERT OR UPDATE OR DELETE ON public.{table}"
                       " FOR EACH ROW EXECUTE FUNCTION public.congress_round_open()")
    else:
        for table in ROUND_TABLES:
            for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
                op.execute(f"CREATE TRIGGER {table}_round_open_{event.lower()} BEFORE {event} ON {table}"
                           f" WHEN (SELECT closed FROM round WHERE id = {row}.round_id)"
                           f" BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
            op.execute(f"CREATE TRIGGER {table}_round_open_moved BEFORE UPDATE ON {table}"
                       " WHEN (SELECT closed FROM round WHERE id = NEW.round_id)"
                       f" BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in ROUND_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_round_open ON public.{table}")
        op.execute("DROP FUNCTION IF EXISTS public.congress_round_open()")
    else:
        for table in ROUND_TABLES:
            for event in ("insert", "update", "delete", "moved"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_round_open_{event}")
    with op.batch_alter_table("change") as batch:
        batch.drop_index("ix_change_round_id")
        batch.drop_constraint("fk_change_round", type_="foreignkey")
        batch.drop_column("round_id")
    if bind.dialect.name == "postgresql":
        op.drop_constraint("fk_organisation_body", "organisation", type_="foreignkey")
        op.drop_constraint("fk_organisation_same_place", "organisation", type_="foreignkey")
        op.drop_constraint("fk_round_kind", "round", type_="foreignkey")
    op.drop_index("ix_organisation_body", "organisation")
    for column in ("same_place_id", "body"):
        op.drop_column("organisation", column)
    for column in ("closed", "term", "kind"):
        op.drop_column("round", column)  # SQLite 3.35 and later drop a column in place
    op.drop_table("level_name")
    op.drop_table("round_kind")
