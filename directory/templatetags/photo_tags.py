"""{% rendition photo "card" as r %} → r.url, r.width, r.height (or None when nothing exists).

{% photo_srcset photo as srcset %} → "url 800w, url 1600w" for <img srcset>, or "".

Aliases: "thumbnail" (240×160), "card" (640×400), "medium" (800 wide), "full" (1600 wide),
"og" (1200×630).
Looking up never generates a file: see directory/renditions.py.
"""

from django import template

from directory import renditions

register = template.Library()


@register.simple_tag
def rendition(photo, alias="card"):
    return renditions.lookup(photo, alias)


@register.simple_tag
def photo_srcset(photo):
    return renditions.srcset(photo)
