"""Rollup stamps: a period's stamp changes whenever its rollup cells move (issue 16)

Revision ID: 0013_disclosure
Revises: 0012_person_signin
Create Date: 2026-12-03 08:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_disclosure'
down_revision = '0013_yes_no'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_stamps',
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('stamp', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('period', name=op.f('pk_rollup_stamps'))
    )


def downgrade():
    op.drop_table('rollup_stamps')
