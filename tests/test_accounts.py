"""Sessions, login locks, the password rule and API-token revocation.

Times are frozen through the clock fixture; the defaults are the shipped ones:
slow down after 3 failures (2 s, doubling, at most 60 s), lock after 10 for 30 minutes."""
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from eventsapp.auth.logins import LoginLimits, authenticate
from eventsapp.auth.models import ApiToken, AuditLog, LoginFailures, Role, User
from eventsapp.auth.passwords import password_problem
from eventsapp.auth.service import AuthError, issue_token
from eventsapp.extensions import db
from tests_support import ROLE_PASSWORD

HOST = "events.example.jp"
T0 = datetime(2026, 12, 3, 0, 0, tzinfo=timezone.utc)  # 令和8年12月3日(木) 09:00 in Tokyo


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        moment = T0

        def advance(self, **delta):
            self.moment += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr("eventsapp.auth.logins.now", lambda: clock.moment)
    return clock


def log_in(client, username="kato", password=ROLE_PASSWORD, address="192.0.2.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def attempt(username: str, password: str) -> str:
    """The service's answer as a code: "ok" or the AuthError's code."""
    try:
        authenticate(db.session, username=username, password=password)
    except AuthError as error:
        return error.code
    return "ok"


def copy_of_session(app, browser):
    """A second client holding the very session cookie `browser` has now (a stolen copy)."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session", domain=HOST).value, domain=HOST)
    return thief


# --- sessions end on logout and on a password change, everywhere ---

def test_a_session_cookie_copied_before_logout_is_refused_after_it(app, make_user):
    make_user("kato", Role.ORGANIZER)
    browser, laptop = app.test_client(), app.test_client()
    assert log_in(browser).status_code == 302 and log_in(laptop).status_code == 302
    thief = copy_of_session(app, browser)
    assert thief.get("/admin/").status_code == 200  # the copy works while the session lives

    assert browser.post("/logout").status_code == 302
    for client in (thief, laptop, browser):  # every session of the user ends, not only this one
        response = client.get("/admin/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(sa.select(AuditLog.action).order_by(AuditLog.id.desc())) == "logout"


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, make_user):
    make_user("kato", Role.ORGANIZER)
    browser, laptop = app.test_client(), app.test_client()
    assert log_in(browser).status_code == 302 and log_in(laptop).status_code == 302
    thief = copy_of_session(app, browser)

    changed = browser.post("/account/password", data={
        "current": ROLE_PASSWORD, "new": "tsubaki-no-hana-saku", "confirm": "tsubaki-no-hana-saku"})
    assert changed.status_code == 302
    assert browser.get("/admin/").status_code == 200
    assert thief.get("/admin/").status_code == 302 and laptop.get("/admin/").status_code == 302
    assert log_in(app.test_client(), password=ROLE_PASSWORD).status_code == 422
    assert log_in(app.test_client(), password="tsubaki-no-hana-saku").status_code == 302


def test_changing_the_password_needs_the_current_one(app, make_user):
    make_user("kato", Role.RECEPTION)
    browser = app.test_client()
    log_in(browser)
    page = browser.post("/account/password", data={"current": "not-my-password", "new": "tsubaki-no-hana-saku",
                                                    "confirm": "tsubaki-no-hana-saku"})
    assert page.status_code == 422 and "現在のパスワードが違います。" in page.text
    assert app.test_client().get("/account/password").status_code == 302  # anonymous: to the login page


# --- failed logins slow down, then lock, per name, from any address ---

def test_after_three_failures_the_next_try_waits(app, make_user, clock):
    make_user("kato")
    assert [attempt("kato", "wrong-guess-1234") for _ in range(3)] == ["wrong_password"] * 3
    clock.advance(seconds=1)
    with pytest.raises(AuthError) as refused:  # even the right password waits: the guess is not judged
        authenticate(db.session, username="kato", password=ROLE_PASSWORD)
    assert (refused.value.code, refused.value.until) == ("slowed_down", T0 + timedelta(seconds=2))
    assert db.session.scalar(sa.select(LoginFailures.failures)) == 3  # a refused try is not a failure
    clock.advance(seconds=1)
    assert attempt("kato", ROLE_PASSWORD) == "ok"
    assert db.session.scalar(sa.select(LoginFailures.failures)) == 0


def test_the_wait_doubles_up_to_a_minute():
    limits = LoginLimits()
    assert limits.next_try_at(2, T0) is None
    waits = [(limits.next_try_at(n, T0) - T0).seconds for n in range(3, 10)]
    assert waits == [2, 4, 8, 16, 32, 60, 60]  # 2·2^(failures−3) seconds, at most 60


@pytest.mark.parametrize("username", ["kato", "nobody"])
def test_the_tenth_failure_locks_the_name_for_thirty_minutes_known_or_not(app, make_user, clock, username, caplog):
    make_user("kato")
    codes = []
    for _ in range(10):
        clock.advance(seconds=61)  # past the longest wait
        codes.append(attempt(username, "wrong-guess-1234"))
    assert codes == ["wrong_password"] * 9 + ["locked"]
    locked_at = T0 + timedelta(seconds=610)
    row = db.session.scalar(sa.select(LoginFailures))
    assert (row.failures, row.locked_until) == (10, locked_at + timedelta(minutes=30))
    assert "locked until" in caplog.text and db.session.scalar(
        sa.select(sa.func.count()).where(AuditLog.action == "account_locked")) == 1

    clock.advance(minutes=29, seconds=59)
    assert attempt(username, ROLE_PASSWORD) == "locked"
    clock.advance(seconds=1)
    # a name without that password fails once more, which locks it again at once
    assert attempt(username, ROLE_PASSWORD) == ("ok" if username == "kato" else "locked")


def test_after_a_lock_runs_out_one_more_failure_locks_again(app, make_user, clock):
    make_user("kato")
    for _ in range(10):
        clock.advance(seconds=61)
        attempt("kato", "wrong-guess-1234")
    clock.advance(minutes=30)
    assert attempt("kato", "wrong-guess-1234") == "locked"


def test_an_unknown_name_costs_a_password_check_too(app, monkeypatch):
    from eventsapp.auth import logins

    checks = []
    real = logins.check_password_hash
    monkeypatch.setattr(logins, "check_password_hash", lambda *args: checks.append(1) or real(*args))
    assert attempt("nobody", ROLE_PASSWORD) == "wrong_password"
    assert checks == [1]


def test_the_login_page_says_until_when_whatever_the_address(app, make_user, clock, caplog):
    make_user("kato")
    client = app.test_client()
    for n in range(10):  # ten wrong guesses from four addresses
        clock.advance(seconds=61)
        log_in(client, password="wrong-guess-1234", address=f"198.51.100.{n % 4 + 1}")
    clock.advance(seconds=61)
    page = log_in(client, address="203.0.113.9")  # the right password, from a fifth address
    assert page.status_code == 422
    # locked at 09:10:10 Tokyo time, until 09:40:10
    assert "このアカウントはロックされています。令和8年12月3日(木)09:40 までログインできません。" in page.text
    unknown = log_in(client, username="nobody", password="x")
    assert "ユーザー名またはパスワードが違います。" in unknown.text


def test_the_login_page_says_how_long_to_wait(app, make_user, clock):
    make_user("kato")
    client = app.test_client()
    for _ in range(3):
        log_in(client, password="wrong-guess-1234")
    assert "2 秒待ってからもう一度お試しください。" in log_in(client).text


def test_concurrent_guesses_cannot_pass_the_limit(app, make_user):
    """Twenty wrong guesses at once (slowdown off): exactly nine are judged wrong and the
    tenth locks; without the row lock, stale counts let more guesses be judged."""
    make_user("kato")
    limits = LoginLimits(slowdown_after=1000, lock_after=10)

    def guess(n: int) -> str:
        with app.app_context():
            try:
                authenticate(db.session, username="kato", password=f"wrong-guess-{n}", limits=limits)
            except AuthError as error:
                return error.code
            finally:
                db.session.remove()
            return "ok"

    with ThreadPoolExecutor(8) as pool:
        codes = Counter(pool.map(guess, range(20)))
    assert codes == {"wrong_password": 9, "locked": 11}
    assert db.session.scalar(sa.select(LoginFailures.failures)) == 10


def test_an_admin_unlocks_on_the_users_screen(app, make_user, login, clock):
    make_user("kato")
    for _ in range(10):
        clock.advance(seconds=61)
        attempt("kato", "wrong-guess-1234")
    admin = login(Role.ADMIN)
    page = admin.get("/admin/users/")
    assert page.status_code == 200 and "令和8年12月3日(木)09:40 までロック中" in page.text
    kato = db.session.scalar(sa.select(User).where(User.username == "kato"))
    assert admin.post(f"/admin/users/{kato.id}/unlock").status_code == 302
    assert "ロック中" not in admin.get("/admin/users/").text
    assert attempt("kato", ROLE_PASSWORD) == "ok"
    assert db.session.scalar(sa.select(AuditLog.action).where(AuditLog.action == "account_unlocked")) is not None


def test_the_cli_unlocks(app, make_user, runner, clock):
    make_user("kato")
    for _ in range(10):
        clock.advance(seconds=61)
        attempt("kato", "wrong-guess-1234")
    result = runner.invoke(args=["users", "unlock", "kato"])
    assert result.exit_code == 0 and "unlocked kato" in result.output
    assert attempt("kato", ROLE_PASSWORD) == "ok"
    unknown = runner.invoke(args=["users", "unlock", "nobody"])
    assert unknown.exit_code != 0 and "そのユーザーはいません。" in unknown.output


def test_only_admins_reach_the_users_screen(app, login, make_user):
    kato = make_user("kato")
    organizer = login(Role.ORGANIZER)
    assert organizer.get("/admin/users/").status_code == 403
    assert organizer.post(f"/admin/users/{kato.id}/unlock").status_code == 403
    assert organizer.post(f"/admin/users/{kato.id}/password").status_code == 403


# --- the password rule, on every path that sets one ---

@pytest.mark.parametrize(("password", "problem"), [
    ("x7Kp2mQ9vL3", "password_too_short"),  # 11 characters
    ("x7Kp2mQ9vL3n", None),  # 12
    ("aaaaaaaaaaaa", "password_too_common"),  # a repeat
    ("password1234", "password_too_common"),  # on the common-password list
    ("qwertyuiop12", "password_too_common"),  # a keyboard walk
    ("abcdefghijkl", "password_too_common"),  # a sequence
    ("my-name-is-KATO-ok", "password_contains_username"),
    ("correct-horse-battery", None),  # no digit, no capital: no composition rules
])
def test_the_password_rule(password, problem):
    assert password_problem(password, username="kato") == problem


def test_every_path_that_sets_a_password_applies_the_rule(app, make_user, runner, login):
    weak = runner.invoke(args=["users", "create", "ito", "--role", "reception", "--password-stdin"],
                         input="password1234\n")
    assert weak.exit_code != 0 and "推測されやすい" in weak.output

    make_user("kato")
    reset = runner.invoke(args=["users", "reset-password", "kato", "--password-stdin"], input="aaaaaaaaaaaa\n")
    assert reset.exit_code != 0 and "推測されやすい" in reset.output
    reset = runner.invoke(args=["users", "reset-password", "kato"])
    assert reset.exit_code == 0
    new_password = reset.output.split("password: ")[1].strip()
    assert log_in(app.test_client(), password=new_password).status_code == 302

    browser = app.test_client()
    log_in(browser, password=new_password)
    page = browser.post("/account/password", data={"current": new_password, "new": "kato-kato-kato-kato",
                                                    "confirm": "kato-kato-kato-kato"})
    assert page.status_code == 422 and "パスワードにユーザー名を含めないでください。" in page.text

    admin = login(Role.ADMIN)
    kato = db.session.scalar(sa.select(User).where(User.username == "kato"))
    shown = admin.post(f"/admin/users/{kato.id}/password")
    assert shown.status_code == 200
    assert browser.get("/admin/").status_code == 302  # the reset ended kato's session
    admin_password = shown.text.split('<code class="secret">')[1].split("</code>")[0]
    assert password_problem(admin_password, username="kato") is None
    assert log_in(app.test_client(), password=admin_password).status_code == 302


# --- API tokens: listed, revoked, refused after ---

def test_tokens_are_listed_and_revoked_from_the_cli(app, make_user, runner):
    kato = make_user("kato")
    token = issue_token(db.session, user=kato, label="集計スクリプト")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/series", headers=headers).status_code == 200

    listing = runner.invoke(args=["users", "tokens", "kato"])
    token_id = db.session.scalar(sa.select(ApiToken.id))
    lines = listing.output.splitlines()
    assert lines[0] == "id\tlabel\tcreated\tlast_used\trevoked"
    fields = lines[1].split("\t")
    assert fields[0] == str(token_id) and fields[1] == "集計スクリプト"
    assert fields[2].startswith("令和") and fields[3].startswith("令和") and fields[4] == "-"

    revoked = runner.invoke(args=["users", "revoke-token", str(token_id)])
    assert revoked.exit_code == 0 and f"revoked token {token_id} of kato" in revoked.output
    assert api.get("/api/v1/series", headers=headers).status_code == 401
    assert runner.invoke(args=["users", "tokens", "kato"]).output.splitlines()[1].split("\t")[4].startswith("令和")
    again = runner.invoke(args=["users", "revoke-token", str(token_id)])
    assert again.exit_code != 0 and "すでに無効" in again.output
    assert runner.invoke(args=["users", "revoke-token", "999"]).exit_code != 0
    assert db.session.scalar(sa.select(AuditLog.target).where(AuditLog.action == "token_revoked")) == "kato"


def test_an_admin_revokes_a_token_on_the_users_screen(app, make_user, login, caplog):
    kato = make_user("kato")
    token = issue_token(db.session, user=kato, label="集計スクリプト")
    token_id = db.session.scalar(sa.select(ApiToken.id))
    admin = login(Role.ADMIN)
    page = admin.get("/admin/users/")
    assert f"#{token_id} 集計スクリプト" in page.text and "本当に無効にする" in page.text
    with caplog.at_level(logging.WARNING):
        assert admin.post(f"/admin/users/tokens/{token_id}/revoke").status_code == 302
    assert "revoked by user-admin" in caplog.text
    assert app.test_client().get("/api/v1/series", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "無効化済み" in admin.get("/admin/users/").text
    again = admin.post(f"/admin/users/tokens/{token_id}/revoke", follow_redirects=True)
    assert again.status_code == 200 and "そのトークンはすでに無効です。" in again.text
    assert admin.post("/admin/users/tokens/999/revoke").status_code == 404
