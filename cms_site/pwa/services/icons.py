"""Home-screen icons drawn with Pillow, so no binary image lives in the repository.

"any" icons are a rounded green tile; "maskable" icons fill the whole square and keep
the drawing inside the central safe zone (a circle of 80% diameter) that launchers may
crop to.
"""

import io
from functools import lru_cache

from PIL import Image, ImageDraw

from .shell import ICON_SIZES, THEME_COLOR

PURPOSES = ("any", "maskable")


def _draw_certificate(draw, size, scale):
    """A white certificate sheet with text lines and a check mark, centred, ``scale`` of the side."""
    side = size * scale
    left = (size - side * 0.78) / 2
    top = (size - side) / 2
    right, bottom = left + side * 0.78, top + side
    radius = side * 0.06
    draw.rounded_rectangle((left, top, right, bottom), radius=radius, fill="white")
    line_w = max(2, round(side * 0.045))
    for row in range(3):
        y = top + side * (0.2 + 0.13 * row)
        draw.line((left + side * 0.12, y, right - side * 0.12, y), fill=THEME_COLOR, width=line_w)
    check = [
        (left + side * 0.2, top + side * 0.72),
        (left + side * 0.34, top + side * 0.85),
        (left + side * 0.6, top + side * 0.6),
    ]
    draw.line(check, fill="#f2a900", width=max(3, round(side * 0.07)), joint="curve")


@lru_cache(maxsize=len(ICON_SIZES) * len(PURPOSES))
def icon_png(size, purpose):
    """PNG bytes of the icon of ``size`` pixels for ``purpose`` ("any" or "maskable")."""
    if size not in ICON_SIZES or purpose not in PURPOSES:
        raise ValueError(f"no icon {purpose} {size}")
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if purpose == "maskable":
        draw.rectangle((0, 0, size, size), fill=THEME_COLOR)
        _draw_certificate(draw, size, 0.5)
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 0.18, fill=THEME_COLOR)
        _draw_certificate(draw, size, 0.66)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
