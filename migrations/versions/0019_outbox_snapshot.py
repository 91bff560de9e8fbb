"""Mails written when they are sent: outbox_mails.snapshot holds what such a mail must tell as
it was when it was queued (registration/mails.py); NULL, as for every existing row, means the
row holds its written subject, texts and attachments. Downgrade refuses while a mail waits to
be written.

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
    # A mail still waiting to be written would be sent empty: send the outbox first.
    waiting = op.get_bind().execute(
        sa.text('SELECT COUNT(*) FROM outbox_mails WHERE snapshot IS NOT NULL AND sent_at IS NULL')).scalar()
    if waiting:
        raise RuntimeError(f'{waiting} mails wait to be written when sent: run `flask mail send` first')
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
