"""The events' fiscal-year check follows the supported years of eventsapp/dates.py.

An event may start in the calendar years 2000–2100 (FIRST_YEAR, LAST_YEAR), so its fiscal year
lies in 1999–2100 (January 2000 belongs to fiscal 1999). The old check took 1900–2999. An
event outside the new range stops the upgrade with its ids, rather than being changed.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

NEW, OLD = 'fiscal_year BETWEEN 1999 AND 2100', 'fiscal_year BETWEEN 1900 AND 2999'


def replace_check(condition: str) -> None:
    with op.batch_alter_table('events') as batch:
        batch.drop_constraint(op.f('ck_events_fiscal_year_range'), type_='check')
        batch.create_check_constraint('fiscal_year_range', sa.text(condition))


def upgrade():
    outside = op.get_bind().execute(sa.text(f'SELECT id FROM events WHERE NOT ({NEW}) ORDER BY id')).scalars().all()
    if outside:
        raise RuntimeError(f'events {outside} have a fiscal year outside 1999–2100: correct their dates first')
    replace_check(NEW)


def downgrade():
    replace_check(OLD)
