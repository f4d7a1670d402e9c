"""Restoring one record from its history, not the whole revision its version is in.

A revision holds every record saved together: all the rows of an import, all the records of
a list action. Restoring one of them brings back that record and the rows it follows (its
inline rows, see the registrations in content.py), as they were in that revision; the other
records keep their later edits.

django-reversion has no public hook for this: the helpers below are its own (pinned in
requirements.txt), and the tests of the history pages check them.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import ForeignObjectRel, SlugField
from django.db.models.deletion import Collector
from reversion.models import _safe_revert
from reversion.revisions import _follow_relations_recursive, _get_options


def _relation(model, name):
    """The field or reverse relation a follow name stands for ("alumni": NotableAlumnus's
    foreign key seen from Institution)."""
    for field in model._meta.get_fields():
        accessor = field.get_accessor_name() if isinstance(field, ForeignObjectRel) else field.name
        if accessor == name:
            return field
    raise LookupError(f"{model.__name__} follows {name!r}, which is no relation of it")


def _reaches(version, relation, other):
    """Whether, as both were saved in the revision, version's record reached other's
    through relation."""
    if other._model is not relation.related_model:
        return False
    mine, theirs = version._object_version, other._object_version
    if relation.many_to_many:
        if relation.concrete:
            return theirs.object.pk in mine.m2m_data.get(relation.name, ())
        return mine.object.pk in theirs.m2m_data.get(relation.field.name, ())
    if relation.concrete:  # a foreign key of version's record
        target = relation.target_field.attname
        return getattr(mine.object, relation.attname) == getattr(theirs.object, target)
    field = relation.field  # a foreign key of other's record, pointing at version's
    return getattr(theirs.object, field.attname) == getattr(mine.object, field.target_field.attname)


def restored_together(model, inline_models):
    """Of the models of a record's inline rows: (those restored with the record, those with
    a history of their own, which a restore leaves as they are)."""
    followed = {_relation(model, name).related_model for name in _get_options(model).follow}
    return (
        [m for m in inline_models if m in followed],
        [m for m in inline_models if m not in followed],
    )


def record_versions(version):
    """version, and the versions of its revision that its record followed then."""
    in_revision = list(version.revision.version_set.select_related("content_type"))
    found, todo = [version], [version]
    while todo:
        current = todo.pop()
        model = current._model
        for name in _get_options(model).follow:
            relation = _relation(model, name)
            for other in in_revision:
                if other not in found and _reaches(current, relation, other):
                    found.append(other)
                    todo.append(other)
    return found


def revert_record(version, delete=False, keys_changed=None):
    """Revision.revert for version's record alone: with delete, rows its record follows now
    but did not then (inline rows added since) are deleted, as reversion does.

    An address (slug) of the old version that another record has taken since is not taken
    back (see _keep_taken_keys); keys_changed, a list, receives each one kept so.
    """
    versions = record_versions(version)
    changed = _keep_taken_keys(versions)
    if keys_changed is not None:
        keys_changed.extend(changed)
    with transaction.atomic(using=version.db):
        if delete:
            then = set()
            for old in versions:
                rows = old._model._default_manager.using(old.db).filter(pk=old.object_id)
                then.update(rows)
            now = set().union(*(_follow_relations_recursive(obj) for obj in then))
            added = defaultdict(list)
            for obj in now - then:
                added[type(obj)].append(obj)
            collector = Collector(using=version.db)
            for objs in added.values():
                collector.collect(objs)
            collector.delete()
        _clear_the_way(versions[1:])
        _safe_revert(versions)


def _clear_the_way(followed):
    """Take out the rows the record follows that exist now, to be written back whole.

    Updated in place, rows that swapped a value unique among them since (two sections'
    order numbers) cannot be written back one by one: each meets the other's value, and
    reversion gives up with "missing dependency". They are written back in the same
    transaction, so for everybody else they were updated: the delete sends no signals
    (no file is removed, no page expired twice), and only rows nothing points at are taken
    out (nothing cascades); others are updated in place as before.
    """
    by_model = defaultdict(list)
    for old in followed:
        by_model[(old._model, old.db)].append(old.object_id)
    for (model, db), pks in by_model.items():
        if not model._meta.related_objects:
            model._default_manager.using(db).filter(pk__in=pks)._raw_delete(db)


def _free_key(rows, field, value):
    """value, or the first of value-2, value-3 … that no row in rows has (as a new record's)."""
    candidate, n = value, 2
    while rows.filter(**{field.name: candidate}).exists():
        candidate = f"{value[: field.max_length - 10]}-{n}"
        n += 1
    return candidate


def _keep_taken_keys(versions):
    """The unique keys (a page's slug, a photo's key) of the old versions that another
    record has taken since: instead of failing (reversion's "missing dependency"), a record
    keeps the key it has now, and a deleted one comes back with the next free key.

    Changes the versions' records before they are written back; returns
    (version, field, old key, key given, the record that has the old key) for each.
    """
    restored = defaultdict(set)
    for old in versions:
        restored[old._model].add(str(old.object_id))
    changed = []
    for old in versions:
        model, obj = old._model, old._object_version.object
        rows = model._default_manager.using(old.db)
        for field in model._meta.concrete_fields:
            if not (isinstance(field, SlugField) and field.unique):
                continue
            key = getattr(obj, field.attname)
            others = rows.exclude(pk__in=restored[model])
            holder = others.filter(**{field.name: key}).first() if key else None
            if holder is None:
                continue
            now = rows.filter(pk=obj.pk).values_list(field.attname, flat=True).first()
            given = now if now is not None else _free_key(others, field, key)
            setattr(obj, field.attname, given)
            changed.append((old, field, key, given, holder))
    return changed
