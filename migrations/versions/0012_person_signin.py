"""A person's sign-in without a memory test: passkey set-up codes, passkeys, sign-in cards

Revision ID: 0012_person_signin
Revises: 0011_content_stamp
Create Date: 2026-12-02 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_person_signin'
down_revision = '0011_content_stamp'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('passkey_setup_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_passkey_setup_codes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_passkey_setup_codes_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passkey_setup_codes')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_passkey_setup_codes_token_hash'))
    )
    with op.batch_alter_table('passkey_setup_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkey_setup_codes_person_id'), ['person_id'], unique=False)

    op.create_table('passkey_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.String(length=1400), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_passkey_credentials_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passkey_credentials')),
    sa.UniqueConstraint('credential_id', name=op.f('uq_passkey_credentials_credential_id'))
    )
    with op.batch_alter_table('passkey_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkey_credentials_user_id'), ['user_id'], unique=False)

    op.create_table('sign_in_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('pictures', sa.String(length=400), nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('choice_hash', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sign_in_cards_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_sign_in_cards_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_cards')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_cards_token_hash'))
    )
    with op.batch_alter_table('sign_in_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_cards_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_cards_person_id'))
    op.drop_table('sign_in_cards')
    with op.batch_alter_table('passkey_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkey_credentials_user_id'))
    op.drop_table('passkey_credentials')
    with op.batch_alter_table('passkey_setup_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkey_setup_codes_person_id'))
    op.drop_table('passkey_setup_codes')
