"""Shared addresses: an office's e-mail or main line used by colleagues of different names
never identifies a person by itself (people/identity.py); registrations keep the name and
furigana typed for them, so that a wrong merge can be seen and split (records/split.py).

Registrations made before this revision keep NULL there: the typed names were not stored.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shared_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=254), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('email', 'phone')", name=op.f('ck_shared_addresses_kind_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_addresses')),
    sa.UniqueConstraint('kind', 'key', name='uq_shared_addresses_kind_key')
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('typed_family_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('typed_given_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('typed_family_kana', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('typed_given_kana', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('typed_given_kana')
        batch_op.drop_column('typed_family_kana')
        batch_op.drop_column('typed_given_name')
        batch_op.drop_column('typed_family_name')
    op.drop_table('shared_addresses')
