"""The yearly report as the city's document: each series says how its events are
written (indicators, new share, 参加者/委員), an event names its main initiative and how a
joint event is worded, an initiative may put its prose first, custom indicators get a name,
and each fiscal year keeps its front matter.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicator_labels',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_indicator_labels'))
    )
    op.create_table('yearly_front_matter',
    sa.Column('fiscal_year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('positioning', sa.Text(), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('philosophy', sa.Text(), nullable=False),
    sa.Column('long_term_goal', sa.Text(), nullable=False),
    sa.Column('goal_definitions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('fiscal_year', name=op.f('pk_yearly_front_matter'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('main_initiative_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('joint_label', sa.String(length=20), server_default='合同開催', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_events_main_initiative_id_initiatives'), 'initiatives', ['main_initiative_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prose_first', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_indicators', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('report_new_share', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('participant_label', sa.String(length=20), server_default='参加者', nullable=False))



def downgrade():
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_column('participant_label')
        batch_op.drop_column('report_new_share')
        batch_op.drop_column('report_indicators')

    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_column('prose_first')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_main_initiative_id_initiatives'), type_='foreignkey')
        batch_op.drop_column('joint_label')
        batch_op.drop_column('main_initiative_id')

    op.drop_table('yearly_front_matter')
    op.drop_table('indicator_labels')
