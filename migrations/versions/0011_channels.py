"""The channels of 「この催しを何で知りましたか」: bulletin (広報紙) and word_of_mouth (職場・知人) join
the codes of the first contract (line, mail, flyer, homepage, signage, other), which keep their
meaning. Downgrade refuses while a registration carries one of the new codes, rather than
changing what a person said.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OLD = ('line', 'mail', 'flyer', 'homepage', 'signage', 'other')
NEW = ('line', 'mail', 'bulletin', 'flyer', 'signage', 'homepage', 'word_of_mouth', 'other')


def replace_check(codes: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{code}'" for code in codes)
    with op.batch_alter_table('registrations') as batch:
        batch.drop_constraint(op.f('ck_registrations_registration_channel'), type_='check')
        batch.create_check_constraint('registration_channel', sa.text(f'channel IN ({listed})'))


def upgrade():
    replace_check(NEW)


def downgrade():
    added = sorted(set(NEW) - set(OLD))
    used = op.get_bind().execute(
        sa.text('SELECT COUNT(*) FROM registrations WHERE channel IN :codes').bindparams(sa.bindparam('codes', expanding=True)),
        {'codes': added},
    ).scalar()
    if used:
        raise RuntimeError(f'{used} registrations carry the channels {added}: they cannot be downgraded')
    replace_check(OLD)
