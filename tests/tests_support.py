"""Helpers shared by test modules (plain functions; fixtures live in conftest.py)."""
from eventsapp.auth.models import Role

ROLE_PASSWORD = "correct-horse-battery"


def logged_in_client(app, make_user, role: Role, *, username: str | None = None):
    """A fresh test client with its own session, logged in with a new account of that role."""
    username = username or f"walk-{role.value}"
    make_user(username, role)
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": ROLE_PASSWORD})
    assert response.status_code == 302, response.data
    return client
