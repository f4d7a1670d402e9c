"""Checking and cleaning uploaded images: by content, never by file name.

`clean_upload(file)` either raises a ValidationError with a message an editor can act on,
or returns a new in-memory file that
- is JPEG, PNG or WebP (decided by Pillow from the bytes, whatever the name says),
- is at most MAX_UPLOAD_BYTES long and MAX_PIXELS large (decompression bombs refused before
  any pixel is decoded), and no more than MAX_ASPECT_RATIO times as long as it is wide,
- is turned upright by its EXIF orientation, and
- carries no EXIF at all (so no GPS position, camera serial or time stamp), only its colour
  profile, and has the extension that matches its content.
"""

import io
import os
import re
import secrets
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Renditions crop to fixed shapes (1200 × 630 for sharing), scaling the picture to cover
# them: a 1 × 60000 strip would become 1200 × 72,000,000 pixels. Panoramas are about 4:1.
MAX_ASPECT_RATIO = 10

# Pillow format name -> (extension, content type)
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    # A JPEG with more pictures after the photo (a depth map, a preview), as many phone
    # cameras write: Pillow names it MPO. The photo, its first picture, is kept as a JPEG.
    "MPO": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}

MESSAGES = {
    "too_large": _(
        "The file is %(size)s; images may be at most %(limit)s. Save it smaller (for example "
        "at 3000 pixels across) and upload it again."
    ),
    "not_image": _(
        "This file is not a picture Pillow can read (its name may say .jpg, but its content "
        "is something else). Upload a JPEG, PNG or WebP image."
    ),
    "wrong_format": _(
        "This picture is a %(format)s file. Only JPEG, PNG and WebP images are accepted: "
        "save it in one of those formats and upload it again."
    ),
    "too_many_pixels": _(
        "The picture is %(width)s × %(height)s pixels (%(megapixels)s megapixels); at most "
        "%(limit)s megapixels are accepted. Reduce its size and upload it again."
    ),
    "odd_shape": _(
        "The picture is %(width)s × %(height)s pixels: one side is more than %(ratio)s times "
        "the other, too narrow to show. Crop it to a usual shape and upload it again."
    ),
    "bomb": _(
        "The picture claims to be far larger than %(limit)s megapixels, the most accepted; it "
        "was refused without being opened. Reduce its size and upload it again."
    ),
    "broken": _(
        "The picture could not be read completely; the file may be damaged or cut short. "
        "Export it again and upload the new file."
    ),
}


def _error(key, code=None, **params):
    return ValidationError(MESSAGES[key], code=code or key, params=params)


def _open_checked(data):
    """Open the bytes with Pillow, checking format and size before decoding any pixel."""
    with warnings.catch_warnings():
        # Pillow warns (and past twice its limit raises) on huge images: treat both as ours.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _error("bomb", code="too_many_pixels", limit=MAX_PIXELS // 1_000_000) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _error("not_image") from None
    if image.format not in FORMATS:
        raise _error("wrong_format", format=image.format or "?")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _error(
            "too_many_pixels",
            width=width,
            height=height,
            megapixels=round(width * height / 1_000_000, 1),
            limit=MAX_PIXELS // 1_000_000,
        )
    if max(width, height) > MAX_ASPECT_RATIO * max(min(width, height), 1):
        raise _error("odd_shape", width=width, height=height, ratio=MAX_ASPECT_RATIO)
    return image


# 40 characters: "photos/<32 hex digits>/<stem>.jpeg" stays within the column's 100
# characters, and a rendition's file name (the original's plus ~30) within a file system's 255
# bytes, even in Chinese (3 bytes a character).
MAX_STEM_CHARACTERS = 40

# Where a photo's file is stored: in a folder of its own named by 128 random bits. The proxy
# serves /media/ to anyone, so the address of a photo not yet published (a draft article's,
# an unpublished institution's) must not be one a visitor could guess from its caption or
# the uploaded file's name; renditions are named after it and cannot be guessed either.
_UNGUESSABLE = re.compile(r"photos/[0-9a-f]{32}/[^/]+")


def file_stem(name):
    """A short, plain stem for a stored file: letters (Chinese too), digits, _ and - only.

    Anything else becomes "_"; a name with nothing left (".jpg", emoji) becomes "image".
    """
    stem = os.path.splitext(os.path.basename(name or ""))[0]
    stem = re.sub(r"[^\w-]+", "_", stem).strip("_-")
    return stem[:MAX_STEM_CHARACTERS].rstrip("_-") or "image"


def unguessable_name(name):
    """photos/<32 random hex digits>/<stem>.<ext> for a file called `name`: a new folder each
    time, the stem made plain by file_stem(), the extension kept (lower case)."""
    extension = os.path.splitext(os.path.basename(name or ""))[1].lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", extension):
        extension = ""
    return f"photos/{secrets.token_hex(16)}/{file_stem(name)}{extension}"


def is_unguessable(name):
    """Whether a stored name is one unguessable_name() gave."""
    return bool(_UNGUESSABLE.fullmatch(name or ""))


def clean_upload(upload):
    """Check an uploaded image file and return a cleaned copy (see the module docstring)."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _error("too_large", size=filesizeformat(size), limit=filesizeformat(MAX_UPLOAD_BYTES))
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _error(
            "too_large", size=filesizeformat(len(data)), limit=filesizeformat(MAX_UPLOAD_BYTES)
        )

    image = _open_checked(data)
    fmt = "JPEG" if image.format == "MPO" else image.format
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        raise _error("broken") from None

    output = io.BytesIO()
    save_options = {}
    icc_profile = image.info.get("icc_profile")
    if icc_profile:
        save_options["icc_profile"] = icc_profile
    if fmt == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        save_options.update(quality=90, optimize=True)
    elif fmt == "WEBP":
        save_options.update(quality=90, method=4)
    else:
        save_options.update(optimize=True)
    # No exif= argument: the copy carries no EXIF block, hence no GPS data.
    upright.save(output, format=fmt, **save_options)

    extension, content_type = FORMATS[fmt]
    cleaned = SimpleUploadedFile(
        f"{file_stem(upload.name)}.{extension}", output.getvalue(), content_type
    )
    cleaned.image = upright
    return cleaned
