"""The organizer's page of an event's shareable links, one per channel (`?ch=<code>`), each with
its QR code to print on a flyer or show on signage. A registration that came through such a
link is stored with that channel, so the reports count real channels (issue 17)."""
from flask import Blueprint, abort, render_template

from ..auth.models import Role
from ..auth.roles import role_required
from ..catalog.models import Event
from ..exports import send_download
from ..extensions import db
from ..links import public_url
from .labels import CHANNEL
from .models import Channel
from .tickets import qr_svg, ticket_png

bp = Blueprint("registration_channels", __name__, url_prefix="/admin")


def channel_link(event: Event, channel: Channel | None = None) -> str:
    """The event's public page, with the channel that the registration form will preselect
    and store; always under PUBLIC_BASE_URL, never the request's host."""
    return public_url("catalog.event_detail", event_id=event.id, ch=channel.value if channel else None)


@bp.route("/events/<int:event_id>/channels")
@role_required(Role.ORGANIZER)
def channel_links(event_id: int):
    event = db.get_or_404(Event, event_id)
    links = [(channel, CHANNEL[channel], channel_link(event, channel)) for channel in Channel]
    return render_template("registration/channels.html", event=event, plain=channel_link(event),
                           links=[(c, label, url, qr_svg(url)) for c, label, url in links])


@bp.route("/events/<int:event_id>/channels/<code>.png")
@role_required(Role.ORGANIZER)
def channel_qr(event_id: int, code: str):
    """The QR code of one channel's link as a PNG file, for flyers and signage."""
    event = db.get_or_404(Event, event_id)
    if code not in set(Channel):
        abort(404)
    return send_download(ticket_png(channel_link(event, Channel(code))),
                         download_name=f"event-{event.id}-{code}.png", mimetype="image/png")
