"""On-demand viewing and event-page views: an event's recording (on_demand_url) and its
viewing period, each on-demand registrant's viewing page with its visits, the mail kind
that sends its link, and the daily counter of each public event page.

events.on_demand_url is '' and the viewing period NULL for existing events (no recording).
The CHECK constraint of outbox_mails.kind gains 'viewing'.

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

OLD_KINDS = ('confirmation', 'waitlisted', 'promoted', 'cancelled', 'reminder', 'already_registered', 'survey',
             'join_url', 'org_survey')
NEW_KINDS = OLD_KINDS + ('viewing',)
PERIOD_ORDERED = 'viewing_opens_at IS NULL OR viewing_closes_at IS NULL OR viewing_closes_at >= viewing_opens_at'


def mail_kind(kinds):
    return sa.Enum(*kinds, name='mail_kind', native_enum=False, create_constraint=True, length=24)


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_demand_url', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('viewing_opens_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('viewing_closes_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint('viewing_period_ordered', sa.text(PERIOD_ORDERED))
    op.create_table('viewings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('first_viewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_viewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('views >= 0', name=op.f('ck_viewings_views_not_negative')),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_viewings_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_viewings')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_viewings_registration_id')),
    sa.UniqueConstraint('token', name=op.f('uq_viewings_token'))
    )
    op.create_table('event_page_views',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.CheckConstraint('views >= 0', name=op.f('ck_event_page_views_views_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_page_views_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'day', name=op.f('pk_event_page_views'))
    )
    with op.batch_alter_table('event_page_views', schema=None) as batch_op:
        batch_op.create_index('ix_event_page_views_day', ['day'], unique=False)
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=mail_kind(OLD_KINDS), type_=mail_kind(NEW_KINDS),
                              existing_nullable=False)


def downgrade():
    op.execute("DELETE FROM outbox_mails WHERE kind = 'viewing'")
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=mail_kind(NEW_KINDS), type_=mail_kind(OLD_KINDS),
                              existing_nullable=False)
    with op.batch_alter_table('event_page_views', schema=None) as batch_op:
        batch_op.drop_index('ix_event_page_views_day')
    op.drop_table('event_page_views')
    op.drop_table('viewings')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_viewing_period_ordered'), type_='check')
        batch_op.drop_column('viewing_closes_at')
        batch_op.drop_column('viewing_opens_at')
        batch_op.drop_column('on_demand_url')
