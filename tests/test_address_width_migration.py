"""Migration 0021: e-mail addresses and phones stored as typed in full width, and the addresses of
mails still waiting in the outbox, are brought to their NFKC form; half-width values, sent mails
and the matching keys are left alone. Both engines."""
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from eventsapp import create_app
from eventsapp.extensions import db

BEFORE = "0020"
PERSON = ("INSERT INTO persons (family_name, given_name, family_kana, given_kana, kana_key, email, email_key, phone,"
          " phone_key, profession, profession_other, age_band, residential_area, created_at)"
          " VALUES (:name, '', '', '', '', :email, :key, :phone, '', '', '', '', '', CURRENT_TIMESTAMP)")
MAIL = ("INSERT INTO outbox_mails (to_address, subject, body_text, body_html, attachments, kind, created_at,"
        " attempts, last_error, sent_at) VALUES (:to, 's', 't', 'h', '[]', 'confirmation', CURRENT_TIMESTAMP, 0, '',"
        " :sent_at)")


def test_full_width_addresses_and_phones_are_rewritten_in_half_width(migrated_app, scratch_database):
    url = scratch_database(migrated_app.config["ENGINE_NAME"])
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for name, email, phone in (("全角", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ", "０４－７１５０－６０８１"),
                                       ("半角", "Taro@example.jp", "04-7150-0000"),
                                       ("空白", " jiro@example.jp\u3000", ""), ("なし", "", "")):
                conn.execute(sa.text(PERSON), {"name": name, "email": email, "key": email.lower(), "phone": phone})
            conn.execute(sa.text(MAIL), {"to": "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ", "sent_at": None})
            conn.execute(sa.text(MAIL), {"to": "ｓｅｎｔ＠ｅｘａｍｐｌｅ．ｊｐ", "sent_at": "2025-07-11 09:00:00"})
        upgrade()
        with db.engine.begin() as conn:
            people = {row.family_name: (row.email, row.phone, row.email_key) for row in conn.execute(
                sa.text("SELECT family_name, email, phone, email_key FROM persons"))}
            mails = conn.execute(sa.text("SELECT to_address FROM outbox_mails ORDER BY id")).scalars().all()
        assert people == {
            "全角": ("hanako@example.jp", "04-7150-6081", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ"),  # the key is not touched
            "半角": ("Taro@example.jp", "04-7150-0000", "taro@example.jp"),
            "空白": ("jiro@example.jp", "", " jiro@example.jp\u3000"),
            "なし": ("", "", ""),
        }
        assert mails == ["hanako@example.jp", "ｓｅｎｔ＠ｅｘａｍｐｌｅ．ｊｐ"]  # a sent mail is history
        downgrade(revision=BEFORE)  # leaves the values as they are
        with db.engine.begin() as conn:
            assert conn.execute(sa.text("SELECT email FROM persons WHERE family_name = '全角'")).scalar() == \
                "hanako@example.jp"
        db.engine.dispose()
