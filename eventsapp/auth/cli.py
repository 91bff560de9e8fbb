"""`flask --app eventsapp users …`: staff accounts, their passwords, locks and API tokens."""
import sys

import click
from flask.cli import AppGroup

from ..dates import format_moment
from ..extensions import db
from .logins import unlock
from .models import Role
from .passwords import generate_password
from .service import AuthError, create_user, find_user, issue_token, revoke_token, set_password, user_tokens

users = AppGroup("users", help="スタッフのアカウント")

def auth_failure(error: AuthError) -> click.ClickException:
    return click.ClickException(error.message)


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
        raise auth_failure(error) from None
    click.echo(f"created {user.username} ({user.role.value})")
    if not password_stdin:
        click.echo(f"password: {password}")


@users.command("token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
def users_token(name: str, label: str) -> None:
    """Print a new API token for NAME (only its hash is stored)."""
    try:
        user = find_user(db.session, name)
    except AuthError as error:
        raise auth_failure(error) from None
    click.echo(issue_token(db.session, user=user, label=label))


def when(moment) -> str:
    return format_moment(moment) if moment else "-"


@users.command("tokens")
@click.argument("name")
def users_tokens(name: str) -> None:
    """List NAME's API tokens: id, label, created, last used, revoked."""
    try:
        tokens = user_tokens(db.session, user=find_user(db.session, name))
    except AuthError as error:
        raise auth_failure(error) from None
    click.echo("id\tlabel\tcreated\tlast_used\trevoked")
    for token in tokens:
        click.echo(f"{token.id}\t{token.label or '-'}\t{when(token.created_at)}\t{when(token.last_used_at)}"
                   f"\t{when(token.revoked_at)}")


@users.command("revoke-token")
@click.argument("token_id", type=int)
def users_revoke_token(token_id: int) -> None:
    """Revoke the API token TOKEN_ID (see `users tokens`): its next call gets 401."""
    try:
        token = revoke_token(db.session, token_id=token_id)
    except AuthError as error:
        raise auth_failure(error) from None
    click.echo(f"revoked token {token.id} of {token.user.username}")


@users.command("unlock")
@click.argument("name")
def users_unlock(name: str) -> None:
    """Lift the lock that failed logins put on NAME, and forget its failures."""
    try:
        unlock(db.session, username=name)
    except AuthError as error:
        raise auth_failure(error) from None
    click.echo(f"unlocked {name}")


@users.command("reset-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_reset_password(name: str, password_stdin: bool) -> None:
    """Give NAME a new password (printed unless --password-stdin) and end all of its sessions."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else generate_password()
    try:
        set_password(db.session, user=find_user(db.session, name), password=password)
    except AuthError as error:
        raise auth_failure(error) from None
    click.echo(f"password of {name} changed; its sessions are ended")
    if not password_stdin:
        click.echo(f"password: {password}")
