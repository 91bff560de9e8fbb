"""Login, roles, API tokens, CSRF, rate limits and the users CLI."""
import sqlalchemy as sa

from eventsapp.auth.models import ApiToken, AuditLog, Role, User
from eventsapp.extensions import db
from tests_support import ROLE_PASSWORD


def test_login_and_logout(client, make_user):
    make_user("kato", Role.ORGANIZER)
    response = client.post("/login", data={"username": "kato", "password": ROLE_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_wrong_password_is_refused_in_japanese_and_logged(client, make_user):
    make_user("kato", Role.ORGANIZER)
    response = client.post("/login", data={"username": "kato", "password": "wrong-password!"})
    assert response.status_code == 422
    assert "ユーザー名またはパスワードが違います。" in response.text
    actions = db.session.scalars(sa.select(AuditLog.action)).all()
    assert actions == ["login_failed"]


def test_inactive_accounts_cannot_log_in(client, make_user):
    user = make_user("gone", Role.ORGANIZER)
    user.active = False
    db.session.commit()
    assert client.post("/login", data={"username": "gone", "password": ROLE_PASSWORD}).status_code == 422


def test_login_only_redirects_to_local_paths(client, make_user):
    make_user("kato", Role.ORGANIZER)
    form = {"username": "kato", "password": ROLE_PASSWORD}
    assert client.post("/login?next=//evil.example/x", data=form).headers["Location"] == "/admin/"
    client.post("/logout")
    assert client.post("/login?next=/admin/events", data=form).headers["Location"] == "/admin/events"


def test_passwords_are_stored_hashed(make_user):
    user = make_user("kato", Role.ORGANIZER)
    assert ROLE_PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_role_levels():
    assert Role.ADMIN.includes(Role.ORGANIZER) and Role.ORGANIZER.includes(Role.RECEPTION)
    assert not Role.RECEPTION.includes(Role.ORGANIZER)


def test_cli_creates_users_and_tokens(app, runner, client):
    result = runner.invoke(args=["users", "create", "sato", "--role", "organizer"])
    assert result.exit_code == 0, result.output
    password = result.output.split("password: ")[1].strip()
    assert len(password) >= 12
    assert client.post("/login", data={"username": "sato", "password": password}).status_code == 302

    again = runner.invoke(args=["users", "create", "sato", "--role", "admin"])
    assert again.exit_code != 0 and "すでに使われています" in again.output

    short = runner.invoke(args=["users", "create", "ito", "--role", "reception", "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "12文字以上" in short.output

    given = runner.invoke(
        args=["users", "create", "ito", "--role", "reception", "--password-stdin"], input="a-long-given-password\n"
    )
    assert given.exit_code == 0 and "password:" not in given.output
    assert db.session.scalar(sa.select(User.role).where(User.username == "ito")) == Role.RECEPTION

    token = runner.invoke(args=["users", "token", "sato"]).output.strip()
    assert len(token) >= 40
    assert db.session.scalar(sa.select(sa.func.count()).where(ApiToken.token_hash == token)) == 0  # only a hash
    fresh = app.test_client()
    assert fresh.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert runner.invoke(args=["users", "token", "nobody"]).exit_code != 0


def test_bearer_tokens(app, bearer):
    client = app.test_client()
    headers = bearer(Role.ORGANIZER)
    assert client.get("/api/v1/series", headers=headers).status_code == 200
    assert client.get("/api/v1/series", headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert client.get("/api/v1/series", headers={"Authorization": "Bearer " + "x" * 5000}).status_code == 401
    token = db.session.scalar(sa.select(ApiToken))
    token.revoked_at = sa.func.now()
    db.session.commit()
    response = client.get("/api/v1/series", headers=headers)
    assert response.status_code == 401
    assert response.json == {"error": {"code": "unauthorized", "message": "ログインが必要です。"}}
    reception = bearer(Role.RECEPTION)
    assert client.get("/api/v1/series", headers=reception).status_code == 403


def test_csrf_is_required_on_forms_and_session_api_calls_but_not_with_bearer(app, make_user, bearer, make_series):
    series = make_series()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        make_user("kato", Role.ORGANIZER)
        client = app.test_client()
        refused = client.post("/login", data={"username": "kato", "password": ROLE_PASSWORD})
        assert refused.status_code == 400 and "フォームの有効期限" in refused.text
        page = client.get("/login").text
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        form = {"username": "kato", "password": ROLE_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=form).status_code == 302

        body = {"name": "新シリーズ", "audience": "citizens"}
        response = client.post("/api/v1/series", json=body)
        assert response.status_code == 400 and response.json["error"]["code"] == "csrf_failed"
        assert client.post("/api/v1/series", json=body, headers={"X-CSRFToken": token}).status_code == 201
        other = app.test_client().post("/api/v1/series", json={**body, "name": "別"}, headers=bearer())
        assert other.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert series.id


def test_login_is_rate_limited(rate_limited_app):
    app = rate_limited_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.post("/login", data={"username": "x", "password": "wrong-password"}).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    limited = client.post("/login", data={"username": "x", "password": "y"}, headers={"Accept": "application/json"})
    assert limited.json["error"]["code"] == "rate_limited"
    assert client.get("/login").status_code == 200  # only attempts are limited


def test_admins_read_the_audit_log_and_others_cannot(login, make_user):
    client = login(Role.ADMIN)  # the login itself is recorded
    page = client.get("/admin/audit/")
    assert page.status_code == 200 and "login" in page.text and "user-admin" in page.text
    assert "login" in client.get("/admin/audit/", query_string={"action": "login"}).text
    assert client.get("/admin/audit/", query_string={"page": "-3"}).status_code == 200
    organizer = login(Role.ORGANIZER)
    assert organizer.get("/admin/audit/").status_code == 403


def test_the_audit_log_reads_in_words_not_codes(app, login):
    """Each action and detail in words, times in 和暦 (Tokyo), on the Japanese page."""
    from datetime import datetime, timezone

    from eventsapp.auth.service import record

    client = login(Role.ADMIN)
    record(db.session, "account_locked", target="taro", failures=10,
           until=datetime(2026, 12, 3, 8, 35, 42, tzinfo=timezone.utc).isoformat())
    record(db.session, "login_failed", target="taro", reason="wrong_password")
    db.session.commit()
    text = client.get("/admin/audit/").text
    assert "アカウントのロック" in text and "失敗回数: 10 ／ ロック期限: 令和8年12月3日(木) 17:35" in text
    assert "ログイン失敗" in text and "理由: ユーザー名またはパスワードの誤り" in text
    cells = [cell for cell in text.split("<td>")[1:]]
    assert not any(code in cell for cell in cells for code in ("account_locked", "wrong_password", "until="))


def test_the_audit_log_names_the_check_in_method_in_words(app, login):
    """Check-in, a floor above auth, gives its method labels to the audit screen (register)."""
    from eventsapp.auth.service import record

    client = login(Role.ADMIN)
    record(db.session, "undo_checkin", target="event:1", method="qr", nonce="n-1")
    record(db.session, "undo_checkin", target="event:1", method="walk_in", nonce="n-2")
    db.session.commit()
    text = client.get("/admin/audit/").text
    assert "受付方法: QR" in text and "受付方法: 当日" in text
    assert "受付方法: qr" not in text and "walk_in" not in text


def test_every_recorded_action_has_a_label():
    """An action recorded anywhere in the code is named on the audit screen."""
    import re
    from pathlib import Path

    import eventsapp
    from eventsapp.auth.audit_labels import ACTION_LABELS

    package = Path(eventsapp.__file__).parent
    source = "\n".join(path.read_text(encoding="utf-8") for path in package.rglob("*.py"))
    recorded = set(re.findall(r"record\(\s*(?:db\.)?session,\s*\"([a-z_]+)\"", source))
    assert len(recorded) >= 15 and recorded <= set(ACTION_LABELS)
