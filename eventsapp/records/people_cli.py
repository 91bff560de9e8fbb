"""flask --app eventsapp people shared-addresses: what the old e-mail-alone rule left behind
(records/shared.py), once, and whenever an organizer wants a plain list."""
import click
from flask.cli import AppGroup

from ..extensions import db
from .shared import mark_groups, shared_address_groups, split_candidates

people = AppGroup("people", help="参加者の名寄せ（共有アドレス・分割候補）")


@people.command("shared-addresses")
@click.option("--mark", is_flag=True, help="Note every address listed as shared (organizers then see 共有アドレス).")
def shared_addresses_command(mark: bool) -> None:
    """List e-mails and phones held by persons of different family furigana, and persons
    who may be two humans (registrations typed under another name, a merged-in person of
    another family furigana)."""
    groups = shared_address_groups(db.session)
    click.echo(f"shared addresses: {len(groups)}")
    for group in groups:
        state = "marked" if group.marked else "not marked"
        holders = ", ".join(f"No.{p.id} {p.display_name}（{p.display_kana}）" for p in group.persons)
        click.echo(f"  {group.kind} {group.address} [{state}]: {holders}")
    candidates = split_candidates(db.session)
    click.echo(f"persons to check for a split: {len(candidates)}")
    for candidate in candidates:
        person = candidate.person
        click.echo(f"  No.{person.id} {person.display_name}（{person.display_kana}）")
        for registration in candidate.registrations:
            typed = registration.typed
            click.echo(f"    registration {registration.id} typed as {typed.family_name} {typed.given_name}"
                       f"（{typed.family_kana} {typed.given_kana}）: {registration.event.title}")
        for absorbed in candidate.absorbed:
            click.echo(f"    merged in: No.{absorbed.id} {absorbed.display_name}（{absorbed.display_kana}）")
    if mark:
        click.echo(f"marked as shared: {mark_groups(db.session, groups)}")
