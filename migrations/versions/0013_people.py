"""People and caseloads: preferred name and date of birth; hand-overs of a tablet, and
who was there for each answer, mat placement and rating; the caseload-transfer audit action

Revision ID: 0013_people
Revises: 0012_person_signin
Create Date: 2026-12-03 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_people'
down_revision = '0013_accounts'
branch_labels = None
depends_on = None

# Chained after 0013_accounts: the actions it added stay allowed.
_BEFORE = ('view', 'change', 'export', 'erase', 'sign_in_failed', 'account_created',
           'account_changed', 'account_reset', 'account_deactivated', 'account_reactivated',
           'sign_in_unlocked', 'password_set')
OLD_ACTIONS = "action IN (" + ", ".join(f"'{v}'" for v in _BEFORE) + ")"
NEW_ACTIONS = "action IN (" + ", ".join(f"'{v}'" for v in (*_BEFORE, 'caseload_transfer')) + ")"
SAVED = ('answers', 'mat_placements', 'ratings')


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preferred_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('date_of_birth', sa.Date(), nullable=True))

    op.create_table('hand_overs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('given_by_user_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_how', sa.String(length=12), nullable=True),
    sa.CheckConstraint("ended_how IS NULL OR ended_how IN ('taken_back', 'signed_out')", name=op.f('ck_hand_overs_ended_how_known')),
    sa.ForeignKeyConstraint(['given_by_user_id'], ['users.id'], name=op.f('fk_hand_overs_given_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_hand_overs_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hand_overs'))
    )
    with op.batch_alter_table('hand_overs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hand_overs_given_by_user_id'), ['given_by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hand_overs_person_id'), ['person_id'], unique=False)

    for table in SAVED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('hand_over_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_hand_over_id'), ['hand_over_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_hand_over_id_hand_overs'), 'hand_overs', ['hand_over_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_entries_action_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_audit_entries_action_known'), NEW_ACTIONS)


def downgrade():
    # A transfer entry cannot stay under the old rule; it becomes a plain change.
    op.execute("UPDATE audit_entries SET action = 'change' WHERE action = 'caseload_transfer'")
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_entries_action_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_audit_entries_action_known'), OLD_ACTIONS)

    for table in reversed(SAVED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_hand_over_id_hand_overs'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_hand_over_id'))
            batch_op.drop_column('hand_over_id')

    with op.batch_alter_table('hand_overs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hand_overs_person_id'))
        batch_op.drop_index(batch_op.f('ix_hand_overs_given_by_user_id'))
    op.drop_table('hand_overs')

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('date_of_birth')
        batch_op.drop_column('preferred_name')
