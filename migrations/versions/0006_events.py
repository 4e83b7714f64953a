"""Listening events: events and their anonymous participants

Revision ID: 0006_events
Revises: 0005_circle_consent
Create Date: 2026-11-24 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_events'
down_revision = '0005_circle_consent'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=False),
    sa.Column('title_en', sa.String(length=120), nullable=False),
    sa.Column('title_cy', sa.String(length=120), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_cy', sa.Text(), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('conversation_key', sa.String(length=80), nullable=False),
    sa.Column('use_ratings', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('join_code', sa.String(length=12), nullable=False),
    sa.Column('open_code', sa.String(length=12), nullable=True),
    sa.Column('reset_minutes', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['facilitator_id'], ['users.id'], name=op.f('fk_events_facilitator_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authorities.id'], name=op.f('fk_events_local_authority_id_local_authorities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('open_code', name=op.f('uq_events_open_code'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_facilitator_id'), ['facilitator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_join_code'), ['join_code'], unique=False)

    op.create_table('event_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('age_band', sa.String(length=12), nullable=True),
    sa.Column('consented_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("age_band IS NULL OR age_band IN ('16-24', '25-34', '35-49', '50-64', '65+', 'not_said')", name=op.f('ck_event_participants_age_band_known')),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_event_participants_conversation_id_conversations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_participants_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_participants')),
    sa.UniqueConstraint('conversation_id', name=op.f('uq_event_participants_conversation_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_event_participants_token_hash'))
    )
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_participants_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_participants_event_id'))
    op.drop_table('event_participants')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_join_code'))
        batch_op.drop_index(batch_op.f('ix_events_facilitator_id'))
    op.drop_table('events')
