"""Content stamp: workers keep content and read it again only when this changes

Revision ID: 0011_content_stamp
Revises: 0010_you_said_we_did
Create Date: 2026-11-24 09:00:00.000000

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_content_stamp'
down_revision = '0010_you_said_we_did'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('content_stamp',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_stamp'))
    )
    op.bulk_insert(table, [{'id': 1, 'stamp': uuid.uuid4().hex}])


def downgrade():
    op.drop_table('content_stamp')
