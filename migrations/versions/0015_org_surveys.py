"""Surveys of organizations, not tied to an event: an organization's contact address and
code (事業所コード, printed on paper letters), the survey's addressees with their personal
links, and one response per organization.

organizations.contact_email is '' and organizations.code NULL for existing rows (a code is
given when an office is first addressed). The CHECK constraint of outbox_mails.kind gains
'org_survey'.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

OLD_KINDS = ('confirmation', 'waitlisted', 'promoted', 'cancelled', 'reminder', 'already_registered', 'survey',
             'join_url')
NEW_KINDS = OLD_KINDS + ('org_survey',)


def mail_kind(kinds):
    return sa.Enum(*kinds, name='mail_kind', native_enum=False, create_constraint=True, length=24)


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), server_default='', nullable=False))
        batch_op.add_column(sa.Column('code', sa.String(length=8), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_organizations_code'), ['code'])

    op.create_table('organization_surveys',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('organization_types', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_organization_surveys_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_organization_surveys'))
    )
    with op.batch_alter_table('organization_surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_surveys_fiscal_year'), ['fiscal_year'], unique=False)

    op.create_table('organization_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('organization_type', sa.String(length=50), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('mailed_to', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_organization_invitations_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['organization_surveys.survey_id'], name=op.f('fk_organization_invitations_survey_id_organization_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization_invitations')),
    sa.UniqueConstraint('survey_id', 'organization_id', name='uq_organization_invitations_survey_organization'),
    sa.UniqueConstraint('token', name=op.f('uq_organization_invitations_token'))
    )
    with op.batch_alter_table('organization_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_invitations_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_responses_organization_id'), ['organization_id'], unique=False)
        batch_op.create_unique_constraint('uq_responses_survey_organization', ['survey_id', 'organization_id'])
        batch_op.create_foreign_key(batch_op.f('fk_responses_organization_id_organizations'), 'organizations', ['organization_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint('registration_or_organization', sa.text('registration_id IS NULL OR organization_id IS NULL'))

    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=mail_kind(OLD_KINDS), type_=mail_kind(NEW_KINDS),
                              existing_nullable=False)


def downgrade():
    op.execute("DELETE FROM outbox_mails WHERE kind = 'org_survey'")
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=mail_kind(NEW_KINDS), type_=mail_kind(OLD_KINDS),
                              existing_nullable=False)
    # The organizations' answers go with their surveys (the surveys rows of organization surveys).
    op.execute('DELETE FROM surveys WHERE id IN (SELECT survey_id FROM organization_surveys)')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_responses_registration_or_organization'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_responses_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_constraint('uq_responses_survey_organization', type_='unique')
        batch_op.drop_index(batch_op.f('ix_responses_organization_id'))
        batch_op.drop_column('organization_id')

    with op.batch_alter_table('organization_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_invitations_organization_id'))
    op.drop_table('organization_invitations')
    with op.batch_alter_table('organization_surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_surveys_fiscal_year'))
    op.drop_table('organization_surveys')

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organizations_code'), type_='unique')
        batch_op.drop_column('code')
        batch_op.drop_column('contact_email')
