"""Candidate photos: check an uploaded image and re-encode it for the ballot.

Pure Python (Pillow, no Django). An upload is decoded, never stored as sent: it is re-encoded
as a JPEG no larger than ``MAX_SIDE`` pixels a side, which drops whatever metadata it carried
(a phone photo's EXIF can hold the place it was taken) and anything hidden after the image
data. Files that are not images, or that would decode to an absurd size, are refused with a
reason a candidate can act on.

The limits let a phone's photo through as it comes off the phone (a 50-megapixel picture of
10 MB or so, or a multi-picture JPEG, whose first picture is kept) and stop a decompression
bomb (a few bytes claiming billions of pixels) before a pixel is decoded. A JPEG is decoded
at a reduced scale straight from its compressed data (Pillow's ``draft``), so even the
largest allowed photo costs a fraction of its full size in memory.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["MAX_BYTES", "MAX_PIXELS", "MAX_SIDE", "Photo", "PhotoError", "prepare_photo"]

MAX_BYTES = 15 * 1024 * 1024  # the upload as sent: a phone's full-size JPEG fits
MAX_PIXELS = 52_000_000  # a 50-megapixel phone photo; a larger claim is refused undecoded
MAX_SIDE = 600  # the stored photo's longer side, in pixels
# MPO: a phone's multi-picture JPEG (e.g. with a depth map); its first picture is the photo
ACCEPTED = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


class PhotoError(ValueError):
    """An upload that cannot be a candidate's photo; the message says why."""


@dataclass(frozen=True)
class Photo:
    """A photo ready to store: JPEG bytes and their size in pixels."""

    data: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def prepare_photo(data: bytes, *, filename: str = "the file") -> Photo:
    """Check ``data`` is a JPEG, PNG, WebP or GIF image and return it re-encoded."""
    if not data:
        raise PhotoError(f"{filename} is empty")
    if len(data) > MAX_BYTES:
        raise PhotoError(
            f"{filename} is larger than {MAX_BYTES // 1_048_576} MB, the most a photo may be"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED:
                raise PhotoError(
                    f"{filename} is a {image.format} image; use JPEG, PNG, WebP or GIF"
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoError(
                    f"{filename} is {width}×{height} pixels; at most "
                    f"{MAX_PIXELS // 1_000_000} million pixels, please"
                )
            if image.format in ("JPEG", "MPO"):
                image.seek(0)  # a multi-picture file's first picture
                # decode at 1/2, 1/4 or 1/8 scale where that still leaves MAX_SIDE a side
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        # Pillow's own guard, before any pixel is decoded: far beyond MAX_PIXELS
        raise PhotoError(
            f"{filename} claims far more than {MAX_PIXELS // 1_000_000} million pixels"
        ) from None
    except UnidentifiedImageError:
        raise PhotoError(f"{filename} is not an image (use JPEG, PNG, WebP or GIF)") from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt image data
        raise PhotoError(f"{filename} is a damaged image: {exc}") from None
    # a phone photo stores "rotate me" in EXIF; apply it before the EXIF is dropped
    upright = _on_white(ImageOps.exif_transpose(image))
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=85, optimize=True)
    return Photo(out.getvalue(), upright.width, upright.height)


def _on_white(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency (PNG, GIF, WebP) is laid on white, not on black."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
