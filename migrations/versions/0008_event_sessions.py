"""Event sessions: rating and mat sessions owned by an event participant; an event's mats and
group-mode question

Revision ID: 0008_event_sessions
Revises: 0007_aggregate
Create Date: 2026-11-24 05:14:58.737559

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_event_sessions'
down_revision = '0007_aggregate'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mat_keys', sa.String(length=800), server_default='', nullable=False))
        batch_op.add_column(sa.Column('group_question_key', sa.String(length=80), nullable=True))

    with op.batch_alter_table('mat_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.alter_column('person_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_mat_sessions_participant_id'), ['participant_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_mat_sessions_participant_id_event_participants'), 'event_participants', ['participant_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(batch_op.f('ck_mat_sessions_one_owner'), '(person_id IS NULL) <> (participant_id IS NULL)')

    with op.batch_alter_table('rating_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.alter_column('person_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_rating_sessions_participant_id'), ['participant_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_rating_sessions_participant_id_event_participants'), 'event_participants', ['participant_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(batch_op.f('ck_rating_sessions_one_owner'), '(person_id IS NULL) <> (participant_id IS NULL)')



def downgrade():
    with op.batch_alter_table('rating_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_rating_sessions_one_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_rating_sessions_participant_id_event_participants'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_rating_sessions_participant_id'))
        batch_op.alter_column('person_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('participant_id')

    with op.batch_alter_table('mat_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_mat_sessions_one_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_mat_sessions_participant_id_event_participants'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_mat_sessions_participant_id'))
        batch_op.alter_column('person_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('participant_id')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('group_question_key')
        batch_op.drop_column('mat_keys')

