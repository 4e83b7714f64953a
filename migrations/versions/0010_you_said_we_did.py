"""You said, we did: commissioners' answers to themes

Revision ID: 0010_you_said_we_did
Revises: 0009_audit
Create Date: 2026-11-24 05:27:37.177663

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_you_said_we_did'
down_revision = '0009_audit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('you_said_we_did',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commissioner_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('local_authority_id', sa.Integer(), nullable=True),
    sa.Column('theme_key', sa.String(length=80), nullable=False),
    sa.Column('heard_en', sa.Text(), nullable=False),
    sa.Column('heard_cy', sa.Text(), nullable=False),
    sa.Column('doing_en', sa.Text(), nullable=False),
    sa.Column('doing_cy', sa.Text(), nullable=False),
    sa.Column('by_when', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(region_id IS NULL) <> (local_authority_id IS NULL)', name=op.f('ck_you_said_we_did_one_area')),
    sa.ForeignKeyConstraint(['commissioner_id'], ['users.id'], name=op.f('fk_you_said_we_did_commissioner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authorities.id'], name=op.f('fk_you_said_we_did_local_authority_id_local_authorities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_you_said_we_did_region_id_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_you_said_we_did'))
    )
    with op.batch_alter_table('you_said_we_did', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_you_said_we_did_commissioner_id'), ['commissioner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_you_said_we_did_local_authority_id'), ['local_authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_you_said_we_did_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_you_said_we_did_theme_key'), ['theme_key'], unique=False)



def downgrade():
    with op.batch_alter_table('you_said_we_did', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_you_said_we_did_theme_key'))
        batch_op.drop_index(batch_op.f('ix_you_said_we_did_region_id'))
        batch_op.drop_index(batch_op.f('ix_you_said_we_did_local_authority_id'))
        batch_op.drop_index(batch_op.f('ix_you_said_we_did_commissioner_id'))

    op.drop_table('you_said_we_did')
