"""Mails written when they are sent: outbox_mails.snapshot holds what such a mail must tell as
it was when it was queued (registration/mails.py); NULL, as for every existing row, means the
row holds its written subject, texts and attachments.

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))


def downgrade():
    # Mails still waiting to be written would be sent empty: write them first (flask mail send).
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
