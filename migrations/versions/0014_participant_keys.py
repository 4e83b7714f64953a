"""Participants keyed as participants: rating_contributions.participant_id (issue 17)

Event participants' contributions were stored with minus the participant's id in
person_id. They move to their own column: person_id becomes nullable, a CHECK says that
exactly one of the two is set, and a second unique key does for participants what
uq_rating_contributions_key does for people. The rows keep their values, so the rollups
they add up to do not move. Batch mode, so that SQLite (which cannot alter a column or
add a constraint in place) copies the table.

Revision ID: 0014_participant_keys
Revises: 0013_disclosure
Create Date: 2026-12-03 12:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_participant_keys'
down_revision = '0013_disclosure'
branch_labels = None
depends_on = None

ONE_OWNER = ("(person_id IS NULL AND participant_id IS NOT NULL)"
             " OR (person_id IS NOT NULL AND participant_id IS NULL)")


def upgrade():
    with op.batch_alter_table('rating_contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE rating_contributions SET participant_id = -person_id, person_id = NULL"
               " WHERE person_id < 0")
    with op.batch_alter_table('rating_contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_contributions_participant_id'),
                              ['participant_id'], unique=False)
        batch_op.create_unique_constraint(
            'uq_rating_contributions_participant_key',
            ['participant_id', 'period', 'respondent', 'statement_key'])
        batch_op.create_check_constraint(op.f('ck_rating_contributions_one_owner'), ONE_OWNER)


def downgrade():
    with op.batch_alter_table('rating_contributions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rating_contributions_one_owner'), type_='check')
        batch_op.drop_constraint('uq_rating_contributions_participant_key', type_='unique')
        batch_op.drop_index(batch_op.f('ix_rating_contributions_participant_id'))
    op.execute("UPDATE rating_contributions SET person_id = -participant_id"
               " WHERE participant_id IS NOT NULL")
    with op.batch_alter_table('rating_contributions', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('participant_id')
