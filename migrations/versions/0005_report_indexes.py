"""Report indexes: registrations by (person, event, status, mode), covering.

The new-participant and new-organization counts of the reports read, per person, their
earlier attendances (reports/summary.py; at first one look-up per attendee, since then
one grouped pass, _first_attendances). The index answers them from the index alone (index-only on PostgreSQL through INCLUDE (id),
the rowid on SQLite), and replaces the plain person_id index it starts with.

Revision ID: 0005
Revises: 0004
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_person_event', ['person_id', 'event_id', 'status', 'mode'],
                              unique=False, postgresql_include=['id'])
        batch_op.drop_index(batch_op.f('ix_registrations_person_id'))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_person_id'), ['person_id'], unique=False)
        batch_op.drop_index('ix_registrations_person_event')
