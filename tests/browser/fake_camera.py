"""A fake camera for Chromium: a Y4M file that shows the app's own QR code of a ticket.

Chromium plays the file through getUserMedia when launched with `camera_args(file)`; it
loops the file, so one frame is enough. Without `auto_allow`, a page may use the camera only
in a context given the permission (`permissions=["camera"]` or `grant_permissions`), and is
refused (NotAllowedError) until then.
No ffmpeg: the frame is written by hand (4:2:0, grey chroma). Written per test run into a
temporary folder — never commit one (460 kB a frame).
"""
from pathlib import Path

import qrcode

FAKE_DEVICE = "--use-fake-device-for-media-stream"
AUTO_ALLOW = "--use-fake-ui-for-media-stream"  # every page may use the camera, no prompt
DARK, LIGHT, BACKGROUND, NEUTRAL_CHROMA = 16, 235, 128, 128


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of the QR code the ticket page draws for `text` (quiet zone of 4 included)."""
    code = qrcode.QRCode(border=4)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def write_y4m(path: Path, text: str, *, width: int = 640, height: int = 480, module_px: int = 6) -> Path:
    """Write one 4:2:0 frame with the QR code of `text` centred on a mid-grey background."""
    matrix = qr_matrix(text)
    size = len(matrix) * module_px
    if size > min(width, height):
        raise ValueError(f"a {len(matrix)}-module code at {module_px} px does not fit {width}×{height}")
    luma = bytearray([BACKGROUND]) * (width * height)
    top, left = (height - size) // 2, (width - size) // 2
    for row, modules in enumerate(matrix):
        line = b"".join(bytes([DARK if dark else LIGHT]) * module_px for dark in modules)
        for dy in range(module_px):
            start = (top + row * module_px + dy) * width + left
            luma[start:start + size] = line
    chroma = bytes([NEUTRAL_CHROMA]) * ((width // 2) * (height // 2))
    header = f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


def camera_args(y4m: Path, *, auto_allow: bool = False) -> list[str]:
    """Chromium arguments that turn `y4m` into the (only) camera."""
    return [FAKE_DEVICE, f"--use-file-for-fake-video-capture={y4m.resolve()}", *([AUTO_ALLOW] if auto_allow else [])]
