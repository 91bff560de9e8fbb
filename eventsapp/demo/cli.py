"""flask --app eventsapp demo [scale …]: the demo programme, or a large synthetic one."""
import click
from flask import current_app

from ..extensions import db


@click.group("demo", invoke_without_command=True)
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Load the fiscal-2025 demo programme with upcoming events around today (idempotent) and
    print the logins of the demo accounts (admin, organizer, reception).
    `demo scale` generates a large synthetic programme instead."""
    if ctx.invoked_subcommand is not None:
        return
    from .programme import ensure_demo_admin, ensure_demo_staff, load_demo

    created = load_demo(db.session)
    click.echo("demo: " + ", ".join(f"{kind} +{count}" for kind, count in created.items()))
    username, password = ensure_demo_admin(db.session, current_app.instance_path)
    click.echo(f"admin login: {username} / {password}")
    for username, password in ensure_demo_staff(db.session, current_app.instance_path):
        click.echo(f"{username} login: {username} / {password}")


@demo.command("scale")
@click.option("--persons", type=click.IntRange(min=1), default=100_000, show_default=True)
@click.option("--events", type=click.IntRange(min=1), default=2_000, show_default=True)
@click.option("--registrations", type=click.IntRange(min=0), default=1_000_000, show_default=True)
@click.option("--years", type=click.IntRange(min=1), default=10, show_default=True,
              help="Fiscal years the events spread over, ending with FY2025.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--append", is_flag=True, help="Add to a database that already holds registrations.")
def demo_scale(persons: int, events: int, registrations: int, years: int, seed: int, append: bool) -> None:
    """Generate a large synthetic programme (deterministic for a seed) for scale tests."""
    import time

    from .scale import ScaleDemoError, generate

    started = time.perf_counter()
    try:
        created = generate(db.session, persons=persons, events=events, registrations=registrations,
                           years=years, seed=seed, append=append, echo=click.echo)
    except ScaleDemoError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo("scale: " + ", ".join(f"{kind} +{count}" for kind, count in created.items())
               + f" ({time.perf_counter() - started:.1f} s)")
