"""A ticket: its unguessable token and the token's QR code, as a PNG for the mail and as
inline SVG for the person's page. The QR code carries the token and nothing else."""
import io
import secrets

import png
import qrcode
import qrcode.image.svg
from markupsafe import Markup

QR_BOX_PIXELS = 8  # pixels per module: a ticket of 41 modules with its border is 392 px wide


def new_token() -> str:
    """192 random bits, URL-safe: unguessable, and short enough for a QR code."""
    return secrets.token_urlsafe(24)


def ticket_png(token: str) -> bytes:
    """The QR code of a ticket token as a 1-bit greyscale PNG. qrcode lays out the modules;
    the rows are packed here, eight pixels to a byte, and PyPNG writes them: PyPNG packing
    each pixel in Python took ~13 ms of a ~30 ms registration, this takes ~1 ms."""
    code = qrcode.QRCode(box_size=QR_BOX_PIXELS)
    code.add_data(token)
    code.make(fit=True)
    modules = code.get_matrix()  # with the quiet zone; True is dark
    width = len(modules) * QR_BOX_PIXELS
    rows = [packed_row(row, width) for row in modules]
    buffer = io.BytesIO()
    png.Writer(width, width, greyscale=True, bitdepth=1).write_packed(
        buffer, (row for row in rows for _ in range(QR_BOX_PIXELS)))
    return buffer.getvalue()


def packed_row(modules: list[bool], width: int) -> bytes:
    """One row of pixels, 1 bit each (0 is black), padded to whole bytes."""
    bits = "".join(("0" if dark else "1") * QR_BOX_PIXELS for dark in modules)
    padding = -width % 8
    return int(bits + "0" * padding, 2).to_bytes((width + padding) // 8, "big")


def qr_svg(token: str) -> Markup:
    """A QR code as inline SVG (the ticket on the person's page, the venue's survey link)."""
    image = qrcode.make(token, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return Markup(buffer.getvalue().decode())  # generated here from a URL-safe token or URL
