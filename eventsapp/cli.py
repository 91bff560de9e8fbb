"""Command-line entry points: flask --app eventsapp users|demo|mail …"""
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .auth.models import Role, User
from .auth.service import AuthError, create_user, issue_token
from .extensions import db
from .mail.cli import mail

users = AppGroup("users", help="スタッフのアカウント")

AUTH_MESSAGES = {
    "username_taken": "そのユーザー名はすでに使われています。",
    "password_too_short": "パスワードは12文字以上にしてください。",
}


@users.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--display-name", default="", help="Shown in the screens instead of NAME.")
def users_create(name: str, role: str, password_stdin: bool, display_name: str) -> None:
    """Create a staff account and print its password (generated unless --password-stdin)."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        user, password = create_user(
            db.session, username=name, role=Role(role), password=password, display_name=display_name
        )
    except AuthError as error:
        raise click.ClickException(AUTH_MESSAGES[error.code]) from None
    click.echo(f"created {user.username} ({user.role.value})")
    if not password_stdin:
        click.echo(f"password: {password}")


@users.command("token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
def users_token(name: str, label: str) -> None:
    """Print a new API token for NAME (only its hash is stored)."""
    user = db.session.scalar(select(User).where(User.username == name))
    if user is None:
        raise click.ClickException(f"ユーザー {name} はいません。")
    click.echo(issue_token(db.session, user=user, label=label))


@click.command("demo")
def demo() -> None:
    """Load the fiscal-2025 demo programme (idempotent) and print the admin login."""
    from .demo import ensure_demo_admin, load_demo

    created = load_demo(db.session)
    click.echo("demo: " + ", ".join(f"{kind} +{count}" for kind, count in created.items()))
    username, password = ensure_demo_admin(db.session, current_app.instance_path)
    click.echo(f"admin login: {username} / {password}")


def register(app: Flask) -> None:
    from .registration import cli as registration_cli  # noqa: F401  (adds `mail remind`)
    from .registration.import_cli import imports
    from .surveys.cli import surveys  # also adds `import responses`

    app.cli.add_command(users)
    app.cli.add_command(imports)
    app.cli.add_command(demo)
    app.cli.add_command(mail)
    app.cli.add_command(surveys)
