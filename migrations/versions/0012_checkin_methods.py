"""Check-in methods: "manual" split into "number" (a typed 受付番号) and "search"
(the name search's one tap), so the registration list and the API can say how each person
was found at the door.

Existing "manual" rows are told apart by what each door path wrote: the walk-in form (a
registered person found by it) writes no nonce; the scanner page's typed number always sends
the device's time (scanned_at); the search page's one tap sends a nonce but no device time.
The downgrade folds number and search back into manual (walk-in form rows stay walk_in).

Revision ID: 0012
Revises: 0011
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

CONSTRAINT = 'ck_checkins_checkin_method'


def replace_constraint(codes: tuple[str, ...], *, changes: tuple[str, ...]) -> None:
    """Drop the CHECK of the method's codes, rewrite the rows, add the CHECK for the new codes
    (batch mode: SQLite changes a CHECK only by rebuilding the table)."""
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_='check')
    for statement in changes:
        op.execute(statement)
    allowed = ", ".join(f"'{code}'" for code in codes)
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f(CONSTRAINT), f"method IN ({allowed})")


def upgrade():
    replace_constraint(('qr', 'number', 'search', 'walk_in', 'import'), changes=(
        "UPDATE checkins SET method = 'walk_in' WHERE method = 'manual' AND nonce IS NULL",
        "UPDATE checkins SET method = 'number' WHERE method = 'manual' AND scanned_at IS NOT NULL",
        "UPDATE checkins SET method = 'search' WHERE method = 'manual'",
    ))


def downgrade():
    replace_constraint(('qr', 'manual', 'walk_in', 'import'), changes=(
        "UPDATE checkins SET method = 'manual' WHERE method IN ('number', 'search')",
    ))
