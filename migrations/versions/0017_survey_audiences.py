"""Joint events ask each audience its own questions: whom a question is asked
(questions.audience, NULL for everyone) and which questions a response was asked
(responses.audience, NULL where a survey asks everyone all). Existing rows stay NULL:
every survey so far asked everyone every question.

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def audience(name):
    return sa.Enum('professionals', 'citizens', name=name, native_enum=False, create_constraint=True, length=24)


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', audience('question_audience'), nullable=True))
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', audience('response_audience'), nullable=True))


def downgrade():
    # the enum's CHECK goes first: SQLite's table copy would keep it on a missing column
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_responses_response_audience'), type_='check')
        batch_op.drop_column('audience')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_questions_question_audience'), type_='check')
        batch_op.drop_column('audience')
