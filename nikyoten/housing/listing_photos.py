"""Listing photos as they are stored: upright, at most 1600 px on the long side, JPEG, with no metadata.

Phones write the shooting place (GPS) and the camera into EXIF; none of it is kept. No database here.
"""

import io

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600
MAX_BYTES = 15 * 1024 * 1024
JPEG_QUALITY = 85


class PhotoInvalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def prepare(data: bytes) -> bytes:
    """The stored JPEG for an uploaded image: EXIF orientation applied, then every metadata block dropped."""
    if len(data) > MAX_BYTES:
        raise PhotoInvalid(_("写真のファイルは15MBまでにしてください。"))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as original:
            original.load()
            upright = ImageOps.exif_transpose(original)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoInvalid(_("画像として読み込めません。JPEG・PNG・WebP の写真を選んでください。")) from exc
    if upright.mode != "RGB":
        rgba = upright.convert("RGBA")
        upright = Image.new("RGB", rgba.size, "white")
        upright.paste(rgba, mask=rgba.getchannel("A"))
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image carries no info (EXIF, XMP, ICC, comments) into the file.
    clean = Image.new("RGB", upright.size)
    clean.paste(upright)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
