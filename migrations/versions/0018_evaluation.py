"""The plan's evaluation framework: indicators (評価指標) under a goal and a scene, with their
期待値, 把握方法, 評価時期, unit, target and the measure that computes them; entered values with
their provenance; the 評価 comment of each indicator and year.

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('scene_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('expected', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('interval_years', sa.Integer(), nullable=False),
    sa.Column('base_year', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('target', sa.String(length=100), nullable=False),
    sa.Column('measure', sa.String(length=40), nullable=True),
    sa.Column('measure_params', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('base_year IS NULL OR base_year BETWEEN 1999 AND 2100', name=op.f('ck_evaluation_indicators_base_year_range')),
    sa.CheckConstraint('interval_years BETWEEN 1 AND 10', name=op.f('ck_evaluation_indicators_interval_years_range')),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_evaluation_indicators_goal_id_goals'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['scene_id'], ['scenes.id'], name=op.f('fk_evaluation_indicators_scene_id_scenes'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_indicators'))
    )
    with op.batch_alter_table('evaluation_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_indicators_goal_id'), ['goal_id'], unique=False)

    op.create_table('evaluation_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('fiscal_year BETWEEN 1999 AND 2100', name=op.f('ck_evaluation_comments_fiscal_year_range')),
    sa.ForeignKeyConstraint(['indicator_id'], ['evaluation_indicators.id'], name=op.f('fk_evaluation_comments_indicator_id_evaluation_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_evaluation_comments_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_comments')),
    sa.UniqueConstraint('indicator_id', 'fiscal_year', name=op.f('uq_evaluation_comments_indicator_id'))
    )
    op.create_table('evaluation_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('n', sa.Integer(), nullable=True),
    sa.Column('d', sa.Integer(), nullable=True),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('source_note', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('d IS NULL OR d > 0', name=op.f('ck_evaluation_values_d_positive')),
    sa.CheckConstraint('fiscal_year BETWEEN 1999 AND 2100', name=op.f('ck_evaluation_values_fiscal_year_range')),
    sa.CheckConstraint('n IS NULL OR (n >= 0 AND d IS NOT NULL AND n <= d)', name=op.f('ck_evaluation_values_n_within_d')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_evaluation_values_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['evaluation_indicators.id'], name=op.f('fk_evaluation_values_indicator_id_evaluation_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_values')),
    sa.UniqueConstraint('indicator_id', 'fiscal_year', name=op.f('uq_evaluation_values_indicator_id'))
    )


def downgrade():
    op.drop_table('evaluation_values')
    op.drop_table('evaluation_comments')
    with op.batch_alter_table('evaluation_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_indicators_goal_id'))

    op.drop_table('evaluation_indicators')
