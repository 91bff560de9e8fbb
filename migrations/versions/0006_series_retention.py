"""Series retention period: series.retention_years, 1 to 100, nullable.

The years personal data is kept after an event of the series (people/privacy.py);
NULL keeps the global PRIVACY_RETENTION_YEARS.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # batch mode: SQLite adds a CHECK constraint only by rebuilding the table
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_years', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_series_retention_years_range'),
            'retention_years IS NULL OR retention_years BETWEEN 1 AND 100',
        )


def downgrade():
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_series_retention_years_range'), type_='check')
        batch_op.drop_column('retention_years')
