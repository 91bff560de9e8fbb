"""Mails that carry what the door asks for: the venue's address and the online join
link on events, the join link last mailed to each registration, and the mail kind that
re-sends a changed link.

events.venue_address and events.join_url are '' for existing events; registrations.join_url_sent
is NULL (never mailed). The CHECK constraint of outbox_mails.kind gains 'join_url'.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

OLD_KINDS = ('confirmation', 'waitlisted', 'promoted', 'cancelled', 'reminder', 'already_registered', 'survey')
NEW_KINDS = OLD_KINDS + ('join_url',)


def mail_kind(kinds):
    return sa.Enum(*kinds, name='mail_kind', native_enum=False, create_constraint=True, length=24)


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_address', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('join_url', sa.String(length=500), server_default='', nullable=False))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('join_url_sent', sa.String(length=500), nullable=True))
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=mail_kind(OLD_KINDS), type_=mail_kind(NEW_KINDS),
                              existing_nullable=False)


def downgrade():
    op.execute("DELETE FROM outbox_mails WHERE kind = 'join_url'")
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=mail_kind(NEW_KINDS), type_=mail_kind(OLD_KINDS),
                              existing_nullable=False)
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('join_url_sent')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('join_url')
        batch_op.drop_column('venue_address')
