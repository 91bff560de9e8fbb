"""A ticket: its unguessable token and the token's QR code, as a PNG for the mail and as
inline SVG for the person's page, and the printable ticket card (the QR code above the
受付番号). The QR code carries the token and nothing else."""
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
    modules = qr_modules(token)
    width = len(modules) * QR_BOX_PIXELS
    rows = [packed_row(row, width) for row in modules]
    buffer = io.BytesIO()
    png.Writer(width, width, greyscale=True, bitdepth=1).write_packed(
        buffer, (row for row in rows for _ in range(QR_BOX_PIXELS)))
    return buffer.getvalue()


def qr_modules(token: str) -> list[list[bool]]:
    """The token's QR code as rows of modules, quiet zone included; True is dark."""
    code = qrcode.QRCode(box_size=QR_BOX_PIXELS)
    code.add_data(token)
    code.make(fit=True)
    return code.get_matrix()


# The ten digits in a 5×7 dot font: the card draws the 受付番号 without a font file, which a
# server may lack (and Japanese text is on the page and in the mail, not on the card).
DIGITS = {
    "0": ("01110", "10001", "10011", "10101", "11001", "10001", "01110"),
    "1": ("00100", "01100", "00100", "00100", "00100", "00100", "01110"),
    "2": ("01110", "10001", "00001", "00010", "00100", "01000", "11111"),
    "3": ("11111", "00010", "00100", "00010", "00001", "10001", "01110"),
    "4": ("00010", "00110", "01010", "10010", "11111", "00010", "00010"),
    "5": ("11111", "10000", "11110", "00001", "00001", "10001", "01110"),
    "6": ("00110", "01000", "10000", "11110", "10001", "10001", "01110"),
    "7": ("11111", "00001", "00010", "00100", "01000", "01000", "01000"),
    "8": ("01110", "10001", "10001", "01110", "10001", "10001", "01110"),
    "9": ("01110", "10001", "10001", "01111", "00001", "00010", "01100"),
}
DIGIT_DOTS = 8  # pixels per dot of a digit: 40 × 56 px, as large as the QR code's modules
DIGIT_GAP = 1  # dots between digits


def number_dots(number: int) -> list[list[bool]]:
    """The digits of a number side by side, as rows of dots (True is dark)."""
    glyphs = [DIGITS[digit] for digit in str(number)]
    return [
        [dot == "1" for index, glyph in enumerate(glyphs) for dot in ("0" * DIGIT_GAP if index else "") + glyph[row]]
        for row in range(7)
    ]


def ticket_card_png(token: str, number: int) -> bytes:
    """The ticket to download and print: the QR code with its quiet zone, and under it the
    受付番号 in large digits for the door to type when the code will not scan. 1-bit PNG."""
    qr = [[dark for dark in row for _ in range(QR_BOX_PIXELS)] for row in qr_modules(token) for _ in range(QR_BOX_PIXELS)]
    digits = [[dot for dot in row for _ in range(DIGIT_DOTS)] for row in number_dots(number) for _ in range(DIGIT_DOTS)]
    margin = 4 * QR_BOX_PIXELS  # as wide as the QR code's quiet zone
    width = max(len(qr[0]), len(digits[0]) + 2 * margin)
    rows = [centred(row, width) for row in qr] + [centred(row, width) for row in digits]
    rows += [[False] * width for _ in range(margin)]
    buffer = io.BytesIO()
    png.Writer(width, len(rows), greyscale=True, bitdepth=1).write_packed(buffer, (packed_pixels(r) for r in rows))
    return buffer.getvalue()


def centred(row: list[bool], width: int) -> list[bool]:
    left = (width - len(row)) // 2
    return [False] * left + row + [False] * (width - len(row) - left)


def packed_pixels(row: list[bool]) -> bytes:
    """One row of single pixels, 1 bit each (0 is black), padded to whole bytes."""
    bits = "".join("0" if dark else "1" for dark in row) + "0" * (-len(row) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


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
