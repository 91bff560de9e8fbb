"""Surveys: personal survey links (invitations), the venue short link, and the survey mail kind.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 04:31:38.454338

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OLD_KINDS = ('confirmation', 'waitlisted', 'promoted', 'cancelled', 'reminder', 'already_registered')
NEW_KINDS = OLD_KINDS + ('survey',)


def mail_kind(kinds):
    return sa.Enum(*kinds, name='mail_kind', native_enum=False, create_constraint=True, length=24)


def upgrade():
    op.create_table('survey_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_survey_invitations_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitations')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_survey_invitations_registration_id')),
    sa.UniqueConstraint('token', name=op.f('uq_survey_invitations_token'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_code', sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_surveys_venue_code'), ['venue_code'])

    # The CHECK constraint of outbox_mails.kind gains 'survey' (autogenerate does not see it).
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=mail_kind(OLD_KINDS), type_=mail_kind(NEW_KINDS),
                              existing_nullable=False)


def downgrade():
    op.execute("DELETE FROM outbox_mails WHERE kind = 'survey'")
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=mail_kind(NEW_KINDS), type_=mail_kind(OLD_KINDS),
                              existing_nullable=False)

    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_surveys_venue_code'), type_='unique')
        batch_op.drop_column('venue_code')

    op.drop_table('survey_invitations')
