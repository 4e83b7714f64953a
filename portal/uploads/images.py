"""Check, clean and resize a picture an admin uploads.

`process_picture(data)` takes the bytes of an uploaded file and gives back small square
WebP files, or raises `PictureRefused` with a kind, whole-sentence message. It touches
no database and no files, so it is easy to test and safe to call from a request.

What it guards against:
- files that are not pictures, or pictures in a format we do not decode (only JPEG,
  PNG, WebP, GIF and BMP are opened: Pillow's other decoders, such as EPS, can run
  outside programs);
- decompression bombs: a small file that claims millions of pixels is refused from its
  header, before any pixel is decoded;
- location and other hidden data: only the pixels are kept. EXIF (with GPS), XMP,
  ICC profiles and PNG text chunks never reach the stored files.
"""

from __future__ import annotations

import contextlib
import io
import struct
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageCms, ImageOps

from portal.core import messages

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 64
SIZES = (96, 160, 320)
MAX_OUTPUT_BYTES = 15 * 1024
# A JPEG with several pictures (MPO, from some cameras) opens through "JPEG".
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")
# Tried in turn until the file is small enough; most pictures fit at the first.
_QUALITIES = (82, 72, 62, 52, 42, 32, 24, 16, 10)
_WHITE = (255, 255, 255)


class PictureRefused(ValueError):
    """An upload we will not use. `message` is a whole sentence for the person."""

    def __init__(self, reason: str, message) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message  # lazy: str() it in the page's language


@dataclass(frozen=True)
class ProcessedPicture:
    width: int  # of the cleaned picture, after turning it the right way up
    height: int
    # Square WebP files by side in pixels: {96: b"RIFF...", 160: ..., 320: ...}
    files: dict[int, bytes] = field(default_factory=dict)


def process_picture(
    data: bytes,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_pixels: int = MAX_PIXELS,
    min_side: int = MIN_SIDE,
    sizes: tuple[int, ...] = SIZES,
    max_output_bytes: int = MAX_OUTPUT_BYTES,
) -> ProcessedPicture:
    if len(data) > max_bytes:
        raise PictureRefused("too_big", messages.PICTURE_TOO_BIG)
    if not data:
        raise PictureRefused("not_a_picture", messages.PICTURE_NOT_A_PICTURE)

    # Work at twice the biggest size: enough for sharp results, and a 40-megapixel
    # photo never sits in memory more than once.
    working_side = 2 * max(sizes)
    image, width, height = _open_checked(data, max_pixels, working_side)
    if min(width, height) < min_side:
        raise PictureRefused("too_small", messages.PICTURE_TOO_SMALL)

    clean = _pixels_only(image, working_side)
    files = {size: _square_webp(clean, size, max_output_bytes) for size in sizes}
    return ProcessedPicture(width=width, height=height, files=files)


def _open_checked(data: bytes, max_pixels: int, working_side: int) -> tuple[Image.Image, int, int]:
    """Open, verify, reopen and decode, refusing bombs from the header alone.

    Gives the decoded image and its width and height the right way up.
    """
    with warnings.catch_warnings():
        # Pillow warns (not fails) between its own limit and twice it: fail on both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as probe:
                _refuse_bomb(probe.size, max_pixels)
                probe.verify()  # checks structure (and PNG checksums) without decoding
            # verify() leaves the image unusable: open it again to decode the pixels.
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            _refuse_bomb(image.size, max_pixels)
            width, height = image.size
            if _orientation(image) in (5, 6, 7, 8):  # stored on its side
                width, height = height, width
            if getattr(image, "n_frames", 1) > 1:
                image.seek(0)  # an animation: keep its first picture
            if image.format in ("JPEG", "MPO"):
                image.draft(None, (working_side, working_side))  # decode at a smaller scale
            image.load()
        except PictureRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PictureRefused("too_many_pixels", messages.PICTURE_TOO_MANY_PIXELS) from None
        except (OSError, SyntaxError, ValueError, TypeError, EOFError, IndexError, KeyError,
                struct.error):
            # Not an image, a format we do not open, or a broken or cut-short file.
            raise PictureRefused("not_a_picture", messages.PICTURE_NOT_A_PICTURE) from None
    return image, width, height


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except (OSError, ValueError, TypeError, KeyError, SyntaxError, struct.error):
        return 1


def _refuse_bomb(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise PictureRefused("not_a_picture", messages.PICTURE_NOT_A_PICTURE)
    if width * height > max_pixels:
        raise PictureRefused("too_many_pixels", messages.PICTURE_TOO_MANY_PIXELS)


def _pixels_only(image: Image.Image, working_side: int) -> Image.Image:
    """The picture the right way up, in sRGB, as a new image holding pixels and nothing else."""
    # Broken EXIF: keep the picture as it is stored.
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError, SyntaxError, struct.error):
        image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    converted = _to_srgb(image, mode)
    if max(converted.size) > working_side:
        converted.thumbnail((working_side, working_side), Image.Resampling.LANCZOS)
    # Built from raw pixel bytes, so no EXIF, GPS, XMP, ICC or text chunk can come along.
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _to_srgb(image: Image.Image, mode: str) -> Image.Image:
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        # A phone photo in another colour space would look dull if we just dropped it.
        try:
            return ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode=mode,
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass
    if image.mode == "P" and mode == "RGB":
        image = image.convert("RGBA")
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert(mode)


def _square_webp(image: Image.Image, size: int, max_output_bytes: int) -> bytes:
    fitted = ImageOps.contain(image, (size, size), Image.Resampling.LANCZOS)
    if image.mode == "RGBA":
        canvas = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    else:
        canvas = Image.new("RGB", (size, size), _WHITE)
    canvas.paste(fitted, ((size - fitted.width) // 2, (size - fitted.height) // 2))

    encoded = _webp(canvas, _QUALITIES[0])
    if len(encoded) <= max_output_bytes:
        return encoded  # most pictures
    # Find the best quality that fits, by halving (size falls as quality falls).
    best, low, high = None, 1, len(_QUALITIES) - 1
    while low <= high:
        middle = (low + high) // 2
        attempt = _webp(canvas, _QUALITIES[middle])
        if len(attempt) <= max_output_bytes:
            best, high = attempt, middle - 1
        else:
            low = middle + 1
    if best is not None:
        return best
    # Very busy pictures (noise, fine text): soften detail until it fits.
    softened = canvas
    for _ in range(4):
        softened = softened.reduce(2).resize((size, size), Image.Resampling.BILINEAR)
        encoded = _webp(softened, _QUALITIES[-1])
        if len(encoded) <= max_output_bytes:
            return encoded
    return encoded


def _webp(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(
        out,
        "WEBP",
        quality=quality,
        alpha_quality=max(quality, 50),
        method=6,
        exif=b"",
        icc_profile=None,
        xmp=b"",
    )
    return out.getvalue()
