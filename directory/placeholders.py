"""Clearly labelled placeholder images, drawn with Pillow, for photos we do not have."""

import io
from functools import lru_cache
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

# Where load_demo draws the placeholders the fixtures name (photos/demo/<key>.png).
DEMO_FOLDER = "photos/demo/"

SIZE = (1200, 800)
PAPER = (246, 242, 232)
GREEN = (31, 77, 58)
INK = (33, 52, 84)

# Fonts that carry Chinese glyphs, most common first; without one we draw the pinyin key.
_CJK_FONTS = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
]


@lru_cache(maxsize=1)
def _cjk_font_path():
    return next((p for p in _CJK_FONTS if Path(p).exists()), None)


def _font(size, cjk):
    path = _cjk_font_path() if cjk else None
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


# Inside the frame, with a margin: a long name is set smaller rather than touch it.
TEXT_WIDTH = SIZE[0] - 2 * 110


def _fitting_font(draw, text, size, cjk):
    font = _font(size, cjk)
    while size > 24 and draw.textlength(text, font=font) > TEXT_WIDTH:
        size -= 4
        font = _font(size, cjk)
    return font


def _centred(draw, y, text, size, fill, cjk=True):
    font = _fitting_font(draw, text, size, cjk)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((SIZE[0] - (right - left)) / 2, y), text, font=font, fill=fill)
    return y + (bottom - top)


def render_placeholder(title, subtitle, key):
    """PNG bytes: the title and what it is on a calm background, labelled as a placeholder."""
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, SIZE[0], 24], fill=GREEN)
    # The frame starts below where the page sets its "Placeholder" badge.
    draw.rectangle([40, 130, SIZE[0] - 40, SIZE[1] - 64], outline=INK, width=3)
    # Diagonal hatching in a corner so it never reads as a real photograph.
    for x in range(SIZE[0] - 360, SIZE[0] + 400, 28):
        draw.line([(x, SIZE[1] - 64), (x + 300, SIZE[1] - 364)], fill=(222, 214, 196), width=2)
    cjk = _cjk_font_path() is not None
    y = 260
    if cjk:
        y = _centred(draw, y, title, 72, GREEN) + 40
        if subtitle:
            y = _centred(draw, y, subtitle, 40, INK) + 50
        _centred(draw, y, "示意图 · 原照片未提供", 40, INK)
    else:
        _centred(draw, y, key, 56, GREEN, cjk=False)
    _centred(draw, SIZE[1] - 170, "PLACEHOLDER · original photo not available", 44, INK, cjk=cjk)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def ensure_placeholder(photo, storage):
    """Write the placeholder file for a photo if storage lacks it. Returns True if written."""
    name = photo.image.name or f"{DEMO_FOLDER}{photo.key}.png"
    if storage.exists(name):
        return False
    subject = photo.institution or photo.enterprise or photo.park
    subtitle = subject.name if subject and subject.name != photo.caption else ""
    data = render_placeholder(photo.caption, subtitle, photo.key)
    saved = storage.save(name, ContentFile(data))
    photo.image.name = saved  # storage may have picked another name
    photo.width, photo.height = SIZE
    return True
