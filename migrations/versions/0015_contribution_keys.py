"""Partial contribution keys: each owner's unique key holds only its own rows

After 0014_participant_keys every contribution was written into five indexes: the
primary key, both owners' unique keys (the other owner's column NULL) and an index on
each owner column. A full rebuild of the rollups took a third longer than before it. Now
each unique key is partial (only the rows of its kind of owner), and the one-column
indexes go: the unique keys start with the owner column, so they serve those lookups.
A contribution is written into two indexes.

Revision ID: 0015_contribution_keys
Revises: 0014_participant_keys
Create Date: 2026-12-07 21:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_contribution_keys'
down_revision = '0014_participant_keys'
branch_labels = None
depends_on = None

KEY = ['period', 'respondent', 'statement_key']
OWNERS = (('uq_rating_contributions_key', 'person_id'),
          ('uq_rating_contributions_participant_key', 'participant_id'))


def upgrade():
    with op.batch_alter_table('rating_contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_contributions_participant_id'))
        batch_op.drop_index(batch_op.f('ix_rating_contributions_person_id'))
        for name, _column in OWNERS:
            batch_op.drop_constraint(name, type_='unique')
    for name, column in OWNERS:
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, 'rating_contributions', [column, *KEY], unique=True,
                        sqlite_where=where, postgresql_where=where)


def downgrade():
    for name, _column in OWNERS:
        op.drop_index(name, table_name='rating_contributions')
    with op.batch_alter_table('rating_contributions', schema=None) as batch_op:
        for name, column in OWNERS:
            batch_op.create_unique_constraint(name, [column, *KEY])
        batch_op.create_index(batch_op.f('ix_rating_contributions_person_id'), ['person_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_rating_contributions_participant_id'),
                              ['participant_id'], unique=False)
