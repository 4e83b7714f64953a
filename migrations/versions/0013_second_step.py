"""Staff sign-in's second step: code apps, backup codes, and the audit action for a reset

Revision ID: 0013_second_step
Revises: 0012_person_signin
Create Date: 2026-12-03 08:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_second_step'
down_revision = '0013_people'
branch_labels = None
depends_on = None

# Chained after 0013_accounts and 0013_people: the actions they added stay allowed.
OLD_ACTIONS = ('view', 'change', 'export', 'erase', 'sign_in_failed', 'account_created',
               'account_changed', 'account_reset', 'account_deactivated',
               'account_reactivated', 'sign_in_unlocked', 'password_set', 'caseload_transfer')
NEW_ACTIONS = OLD_ACTIONS + ('second_step_reset',)


def _actions(values) -> str:
    return "action IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _rebuild_action_check(values) -> None:
    # SQLite cannot alter a CHECK constraint; batch mode copies the table to change it.
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_entries_action_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_audit_entries_action_known'),
                                         _actions(values))


def upgrade():
    op.create_table('second_steps',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=False),
    sa.Column('last_step', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_second_steps_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_second_steps'))
    )
    op.create_table('second_step_backup_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_second_step_backup_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_second_step_backup_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_second_step_backup_codes_code_hash'))
    )
    with op.batch_alter_table('second_step_backup_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_second_step_backup_codes_user_id'), ['user_id'], unique=False)

    _rebuild_action_check(NEW_ACTIONS)


def downgrade():
    # The old CHECK would refuse the new entries: they go with the feature.
    op.execute("DELETE FROM audit_entries WHERE action = 'second_step_reset'")
    _rebuild_action_check(OLD_ACTIONS)
    with op.batch_alter_table('second_step_backup_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_second_step_backup_codes_user_id'))
    op.drop_table('second_step_backup_codes')
    op.drop_table('second_steps')
