"""The data version of the public pages (eventsapp/dataversion.py; the pages: eventsapp/pagecache.py): one row, raised by triggers in
the same transaction as any change of what the event list and the event pages show.

Watched: events, series, goals and scenes (every column but the key: SQLite's row lock is an
UPDATE that sets id to itself, locking.py, and must not count as a change), the event's joint
series and tags, and registrations whose seat may change (status, mode, event: the columns of
registration/service.py takes_a_seat, and the event it counts for).

A bump sets the larger of the next number and the clock in microseconds, so a number is never
given twice, even after a backup with an older one is restored. On PostgreSQL the row triggers
are deferred to the commit and bump once per transaction (a transaction-local setting says it
did), so the row is locked only while the transaction commits: registrations for different events
do not wait on each other for longer than that. TRUNCATE bumps too.

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

WATCHED = {
    'events': ('title', 'description', 'series_id', 'starts_at', 'ends_at', 'fiscal_year', 'venue',
               'venue_address', 'join_url', 'on_demand_url', 'viewing_opens_at', 'viewing_closes_at', 'area',
               'format', 'capacity', 'waitlist', 'registration_opens_at', 'registration_closes_at', 'status',
               'created_at', 'main_initiative_id', 'joint_label'),
    'series': ('name', 'audience', 'description', 'retention_years', 'created_at', 'report_indicators',
               'report_new_share', 'participant_label'),
    'goals': ('code', 'label', 'position'),
    'scenes': ('code', 'label', 'position'),
    'event_joint_series': ('event_id', 'series_id'),
    'event_goals': ('event_id', 'goal_id'),
    'event_scenes': ('event_id', 'scene_id'),
    'registrations': ('status', 'mode', 'event_id'),
}

SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
SQLITE_BUMP = (f"INSERT INTO data_version (id, version) VALUES (1, {SQLITE_NOW_US}) "
               "ON CONFLICT (id) DO UPDATE SET version = max(data_version.version + 1, excluded.version);")

POSTGRESQL_FUNCTION = """
CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('eventsapp.data_version_bumped', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('eventsapp.data_version_bumped', 'yes', true);
    INSERT INTO data_version (id, version) VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
    ON CONFLICT (id) DO UPDATE SET version = GREATEST(data_version.version + 1, excluded.version);
    RETURN NULL;
END
$$
"""


def upgrade():
    op.create_table('data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_data_version_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_FUNCTION)
        for table, columns in WATCHED.items():
            op.execute(f"CREATE CONSTRAINT TRIGGER data_version_{table} "
                       f"AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} ON {table} "
                       "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version()")
            op.execute(f"CREATE TRIGGER data_version_{table}_truncate AFTER TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()")
        op.execute("INSERT INTO data_version (id, version) "
                   "VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)")
    else:
        for table, columns in WATCHED.items():
            for name, when in (('insert', 'INSERT'), ('delete', 'DELETE'), ('update', f"UPDATE OF {', '.join(columns)}")):
                op.execute(f"CREATE TRIGGER data_version_{table}_{name} AFTER {when} ON {table} "
                           f"BEGIN {SQLITE_BUMP} END")
        op.execute(f"INSERT INTO data_version (id, version) VALUES (1, {SQLITE_NOW_US})")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in WATCHED:
            op.execute(f"DROP TRIGGER data_version_{table} ON {table}")
            op.execute(f"DROP TRIGGER data_version_{table}_truncate ON {table}")
        op.execute("DROP FUNCTION bump_data_version()")
    else:
        for table in WATCHED:
            for name in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER data_version_{table}_{name}")
    op.drop_table('data_version')
