"""Renditions of photos (thumbnail, card, full width, OpenGraph), made by easy-thumbnails.

Two halves that never meet in one request:
- `generate_for(photo)` / `generate_renditions()` make the files. They run when an editor
  saves a photo in the admin (after the transaction commits) and from
  `manage.py generate_renditions` (e.g. at the end of load_demo).
- `lookup(photo, alias)` only reads what `generate_for` recorded on the photo (file name and
  size of each rendition, and which image they were made from): the rendition, else the
  nearest one made, else — for a placeholder only — the original. No file system or cache
  access, and never Pillow, while a visitor waits.

The sizes live in settings.THUMBNAIL_ALIASES (config/settings_admin.py).

`move_to_unguessable_names()` moves photos stored before uploads got unguessable names
(directory/images.py), with their renditions: run by migration 0007 and by `restore`.
"""

import json
import logging
from dataclasses import dataclass
from functools import partial

from django.db import transaction

from directory.images import is_unguessable, unguessable_name
from directory.placeholders import DEMO_FOLDER

logger = logging.getLogger(__name__)

ALIASES = ("thumbnail", "card", "medium", "full", "og")

# Where to look when a rendition is missing, best substitute first (larger before smaller).
FALLBACKS = {
    "thumbnail": ("card", "medium", "full", "og"),
    "card": ("medium", "full", "og", "thumbnail"),
    "medium": ("full", "og", "card", "thumbnail"),
    "full": ("medium", "og", "card", "thumbnail"),
    "og": ("full", "medium", "card", "thumbnail"),
}


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int | None
    height: int | None
    alias: str  # the alias actually served: "card", a fallback, or "original"


# easy-thumbnails is imported where used: its models must not load before the app registry.


def _options(alias):
    from easy_thumbnails.alias import aliases

    options = aliases.get(alias)
    if not options:
        raise KeyError(f"Unknown rendition {alias!r}; known: {', '.join(ALIASES)}.")
    return dict(options, ALIAS=alias)


def _has_file(photo):
    return bool(photo is not None and photo.image and photo.image.name)


def generate_for(photo):
    """Make every rendition of one photo. Returns the number made; logs and skips bad files."""
    if not _has_file(photo):
        return 0
    from easy_thumbnails.exceptions import EasyThumbnailsError
    from easy_thumbnails.files import get_thumbnailer

    made = {}
    thumbnailer = get_thumbnailer(photo.image)
    for alias in ALIASES:
        try:
            thumbnail = thumbnailer.get_thumbnail(_options(alias), generate=True)
            if thumbnail:
                made[alias] = [thumbnail.name, thumbnail.width, thumbnail.height]
        # MemoryError too: a picture stored before today's checks must not stop the others.
        except (EasyThumbnailsError, OSError, ValueError, MemoryError) as exc:
            logger.warning("Rendition %s of %s failed: %s", alias, photo.image.name, exc)
    photo.renditions = {"source": photo.image.name, **made}
    # update(), not save(): no new history entry, no second round of signals.
    type(photo).objects.filter(pk=photo.pk).update(renditions=photo.renditions)
    return len(made)


def generate_and_announce(photo):
    """generate_for(), then make cached pages show the new renditions."""
    from directory.cache import bump_generation

    made = generate_for(photo)
    bump_generation()
    return made


def generate_renditions(queryset=None):
    """Make the renditions of every photo (or of `queryset`). Returns the number made."""
    from directory.models import Photo

    photos = Photo.objects.all() if queryset is None else queryset
    return sum(generate_for(photo) for photo in photos.iterator())


def _made(photo, alias):
    """The recorded rendition `alias` of the photo's current image, or None."""
    recorded = photo.renditions or {}
    if recorded.get("source") != photo.image.name:  # made from an earlier image, or never
        return None
    made = recorded.get(alias)
    if not made:
        return None
    name, width, height = made
    return Rendition(photo.image.storage.url(name), width, height, alias)


def lookup(photo, alias):
    """The rendition `alias` of `photo` if made, else the nearest made one, else None.

    For a placeholder the original (a small generated PNG) is the last resort; a real photo's
    original (up to 10 MB) is never served in its place.
    """
    _options(alias)  # unknown aliases are a programming error, not a missing file
    if not _has_file(photo):
        return None
    for candidate in (alias, *FALLBACKS[alias]):
        rendition = _made(photo, candidate)
        if rendition:
            return rendition
    if photo.is_placeholder:
        return Rendition(photo.image.url, photo.width, photo.height, "original")
    return None


def srcset(photo, aliases=("medium", "full")):
    """``"url 800w, url 1600w"`` from those of ``aliases`` that were made, for ``<img srcset>``.

    Only uncropped renditions of one image, so every candidate has the same shape; empty
    when fewer than two widths exist (a small image is never enlarged: then ``src`` alone
    says it all).
    """
    if not _has_file(photo):
        return ""
    by_width = {}
    for alias in aliases:
        made = _made(photo, alias)
        if made and made.width:
            by_width.setdefault(made.width, made)
    if len(by_width) < 2:
        return ""
    return ", ".join(f"{r.url} {width}w" for width, r in sorted(by_width.items()))


def delete_renditions(sender, file, **kwargs):
    """django-cleanup hook: when an image file goes, its renditions go with it."""
    from easy_thumbnails.files import get_thumbnailer

    try:
        get_thumbnailer(file).delete_thumbnails()
    except Exception:  # a missing rendition must never stop the original's removal
        logger.exception("Could not delete the renditions of %s", file.name)


def connect_signals():
    """Called once the app registry is ready (DirectoryConfig.ready)."""
    from django_cleanup.signals import cleanup_pre_delete

    cleanup_pre_delete.connect(delete_renditions, dispatch_uid="directory.renditions.delete")


# --- Moving a photo's files to an unguessable name ----------------------------------------


def has_guessable_name(photo):
    """Whether the photo's file (hence its renditions) lies where a visitor could guess it:
    uploaded before uploads were given unguessable names, or restored from such a backup.
    The demo's placeholders (drawn by load_demo from the public fixtures) are not secret."""
    name = photo.image.name if photo.image else ""
    return bool(name) and not is_unguessable(name) and not name.startswith(DEMO_FOLDER)


def move_to_unguessable_names(photos, versions=None):
    """Give each photo among `photos` whose file has a guessable name an unguessable one.

    The file and its renditions are copied under the new name first; then the photo, and
    its earlier versions among `versions` (reversion's Version rows of photos: restoring one
    must find the file), name the copy; the old files are deleted only once the transaction
    commits. Whatever fails before that leaves every old file where it was. A photo whose
    file is missing keeps its name (there is nothing to hide, and the admin asks for a new
    upload). Returns the number of photos moved.
    """
    from easy_thumbnails.files import get_thumbnailer

    moved = 0
    for photo in list(photos):
        if not has_guessable_name(photo):
            continue
        storage, old = photo.image.storage, photo.image.name
        if not storage.exists(old):
            logger.warning(
                "Photo %s: its file %s is missing; its name is left as it is.", photo.pk, old
            )
            continue
        old_renditions = _made_from(photo, old)
        old_files = get_thumbnailer(photo.image)  # deletes the original's renditions, below
        with storage.open(old, "rb") as original:
            new = storage.save(unguessable_name(old), original)
        photo.image.name = new
        _copy_renditions(photo, old_renditions)  # after the original: they must be newer
        type(photo).objects.filter(pk=photo.pk).update(image=new)
        generate_for(photo)  # records the copies; makes any that could not be copied
        if versions is not None:
            _rename_in_history(versions, photo.pk, old, new)
        transaction.on_commit(partial(_delete_files, old_files, old_renditions))
        moved += 1
    return moved


def _made_from(photo, name):
    """{alias: file name} of the renditions recorded as made from the image `name`."""
    recorded = photo.renditions or {}
    if recorded.get("source") != name:
        return {}
    return {alias: recorded[alias][0] for alias in ALIASES if recorded.get(alias)}


def _copy_renditions(photo, old_renditions):
    """Copy each rendition to the name easy-thumbnails gives it for the photo's new image,
    and record it there as easy-thumbnails does (so it is deleted with the photo)."""
    from easy_thumbnails.files import get_thumbnailer

    thumbnailer = get_thumbnailer(photo.image)
    storage = thumbnailer.thumbnail_storage
    for alias, old in old_renditions.items():
        if not storage.exists(old):
            continue
        transparent = not old.endswith("." + thumbnailer.thumbnail_extension)
        target = thumbnailer.get_thumbnail_name(_options(alias), transparent=transparent)
        if storage.exists(target):
            storage.delete(target)
        with storage.open(old, "rb") as rendition:
            saved = storage.save(target, rendition)
        if saved != target:  # storage would not use the name: let generate_for make it
            storage.delete(saved)
            continue
        thumbnailer.get_thumbnail_cache(target, create=True, update=True)


def _rename_in_history(versions, pk, old, new):
    for version in versions.filter(object_id=str(pk), format="json"):
        data = json.loads(version.serialized_data)
        changed = False
        for row in data:
            fields = row.get("fields", {})
            if fields.get("image") == old:
                fields["image"] = new
                changed = True
        if changed:
            versions.filter(pk=version.pk).update(
                serialized_data=json.dumps(data, ensure_ascii=False)
            )


def _delete_files(old_files, old_renditions):
    """Once the move is committed: the old original, its renditions and their records."""
    try:
        for name in old_renditions.values():
            old_files.thumbnail_storage.delete(name)
        old_files.delete_thumbnails()  # any others easy-thumbnails made, and its records
        old_files.storage.delete(old_files.name)
    except Exception:  # the move is done; a file left over must not undo it
        logger.exception("Could not delete the old files of %s", old_files.name)
