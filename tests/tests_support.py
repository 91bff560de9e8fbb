"""Helpers shared by test modules (plain functions; fixtures live in conftest.py)."""
from eventsapp.auth.models import Role

ROLE_PASSWORD = "correct-horse-battery"
# The reference codes and labels the initial migration seeds.
GOALS = {"awareness": "①市民啓発", "acp": "②人生会議(ACP)推進", "sharing": "③情報共有", "collaboration": "④多職種連携"}
SCENES = {
    "daily": "日常の療養支援",
    "admission": "入退院支援",
    "emergency": "急変時の対応",
    "end_of_life": "看取り",
    "disaster": "災害発生時",
    "common": "共通・資源",
}


def logged_in_client(app, make_user, role: Role, *, username: str | None = None):
    """A fresh test client with its own session, logged in with a new account of that role."""
    username = username or f"walk-{role.value}"
    make_user(username, role)
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": ROLE_PASSWORD})
    assert response.status_code == 302, response.data
    return client
