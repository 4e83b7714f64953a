"""A yes/no question's picture scale: the point chosen is kept with the answer

Revision ID: 0013_yes_no
Revises: 0012_person_signin
Create Date: 2026-12-03 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_yes_no'
down_revision = '0013_second_step'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scale_point', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('scale_point')
