"""Check-in method `search`: a person picked by name (search or the 未受付 list), told apart
from a typed 受付番号 (`manual`).

The method column is a VARCHAR with a CHECK constraint (dbtypes.enum_type); the constraint is
replaced, in batch mode so that SQLite rebuilds the table.

Revision ID: 0012_door
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_door'
down_revision = '0011'
branch_labels = None
depends_on = None

OLD = ('qr', 'manual', 'walk_in', 'import')
NEW = ('qr', 'manual', 'search', 'walk_in', 'import')


def method_check(values) -> str:
    return "method IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_checkins_checkin_method'), type_='check')
        batch_op.create_check_constraint(op.f('ck_checkins_checkin_method'), method_check(NEW))


def downgrade():
    # A search check-in becomes what it was before this revision: a manual one.
    op.execute(sa.text("UPDATE checkins SET method = 'manual' WHERE method = 'search'"))
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_checkins_checkin_method'), type_='check')
        batch_op.create_check_constraint(op.f('ck_checkins_checkin_method'), method_check(OLD))
