"""Accounts into service: set-up links, session versions, case-blind usernames, account audit

Revision ID: 0013_accounts
Revises: 0012_person_signin
Create Date: 2026-12-03 08:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_accounts'
down_revision = '0012_person_signin'
branch_labels = None
depends_on = None

OLD_ACTIONS = ('view', 'change', 'export', 'erase', 'sign_in_failed')
NEW_ACTIONS = OLD_ACTIONS + (
    'account_created', 'account_changed', 'account_reset', 'account_deactivated',
    'account_reactivated', 'sign_in_unlocked', 'password_set')


def _actions(values) -> str:
    return "action IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    op.create_table('setup_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_setup_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_setup_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setup_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_setup_links_token_hash'))
    )
    with op.batch_alter_table('setup_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_setup_links_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    # Fails if two usernames already differ only in letter case: rename one first.
    op.create_index('uq_users_username_lower', 'users', [sa.text('lower(username)')], unique=True)

    # The CHECK on the action is rebuilt with the account actions (SQLite: a table copy).
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entries_account_id'), ['account_id'], unique=False)
        batch_op.drop_constraint(batch_op.f('ck_audit_entries_action_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_entries_action_known'), _actions(NEW_ACTIONS))


def downgrade():
    # Entries of the new kinds cannot stay under the old CHECK; they go with the column.
    op.execute("DELETE FROM audit_entries WHERE " + " AND ".join(
        f"action <> '{v}'" for v in OLD_ACTIONS))
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_entries_action_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_audit_entries_action_known'), _actions(OLD_ACTIONS))
        batch_op.drop_index(batch_op.f('ix_audit_entries_account_id'))
        batch_op.drop_column('account_id')
    op.drop_index('uq_users_username_lower', table_name='users')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
        batch_op.drop_column('email')
    with op.batch_alter_table('setup_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_setup_links_user_id'))
    op.drop_table('setup_links')
