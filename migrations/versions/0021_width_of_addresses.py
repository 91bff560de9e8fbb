"""E-mail addresses and phone numbers as they are meant, not as they were typed: an address typed
in full width on a Japanese keyboard ('ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ') was stored and mailed to as
typed, so the mail could not arrive. From now on people/identity.py stores them NFKC-normalised
(display_contact); this brings the stored ones, and the addresses of mails still
waiting in the outbox, to the same form. The matching keys were normalised already and do not
change. Downgrade leaves the values as they are: the typed width is not worth keeping.

Revision ID: 0021
Revises: 0020
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def nfkc(text: str | None) -> str | None:
    return None if text is None else unicodedata.normalize("NFKC", text).strip()


def normalise(table: str, columns: tuple[str, ...], where: str = "") -> None:
    """Rewrite the rows whose values NFKC changes; only those holding a non-ASCII character or
    surrounding space can, and those are few."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}{where}")).all()
    for row in rows:
        values = dict(zip(columns, row[1:], strict=True))
        changed = {column: nfkc(value) for column, value in values.items() if nfkc(value) != value}
        if changed:
            assignments = ", ".join(f"{column} = :{column}" for column in changed)
            connection.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id"), {**changed, "id": row[0]})


def upgrade():
    normalise("persons", ("email", "phone"))
    normalise("outbox_mails", ("to_address",), " WHERE sent_at IS NULL")


def downgrade():
    pass
