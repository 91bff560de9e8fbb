"""Venue link tries: failed tries to tie a venue survey answer to a 受付番号, per number and event.

After five failures the number links no more answers at that event (surveys/service.py);
numbers that do not exist are counted too, so `number` is not a foreign key.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('venue_link_tries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_venue_link_tries_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venue_link_tries')),
    sa.UniqueConstraint('event_id', 'number', name='uq_venue_link_tries_event_number')
    )


def downgrade():
    op.drop_table('venue_link_tries')
