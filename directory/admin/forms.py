"""Admin forms: concurrent-edit refusal, slug clashes, sanitized rich text, checked images."""

from decimal import Decimal

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from directory.formatting import plain_number
from directory.images import clean_upload
from directory.models import Status
from directory.models.base import ORDER_RANGE, publication_rights_needed
from directory.sanitize import sanitize_html, strip_control_characters

from .widgets import LockedWidget, PictureInput, RichTextWidget, is_well_formed_key

# --- Concurrent edits ---------------------------------------------------------------------


def edit_token(updated):
    """The version marker an edit form carries: the row's `updated`, to the microsecond."""
    if updated is None:
        return ""
    return str(int(updated.timestamp() * 1_000_000))


def _display(field, value):
    """A short, readable form of one field value for the conflict message."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.many_to_one:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else str(value)
    if field.many_to_many:
        objs = field.related_model._default_manager.filter(pk__in=value or [])
        return "、".join(str(o) for o in objs) or "—"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, Decimal) and value.is_finite():
        return plain_number(value)
    return Truncator(str(value)).chars(80)


class ModelErrorsForm(forms.ModelForm):
    """Base of the admin's model forms: text loses invisible control characters, and the
    model's errors about fields the form lacks (an inline row has only some of them) are
    shown as errors of the row, named, instead of failing with ValueError."""

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            if isinstance(value, str):
                cleaned_data[name] = strip_control_characters(value)
        return cleaned_data

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            error_dict = dict(errors.error_dict)
            absent = [n for n in error_dict if n != NON_FIELD_ERRORS and n not in self.fields]
            for name in absent:
                try:
                    label = capfirst(self._meta.model._meta.get_field(name).verbose_name)
                except FieldDoesNotExist:
                    label = name
                for message in ValidationError(error_dict.pop(name)).messages:
                    error_dict.setdefault(NON_FIELD_ERRORS, []).append(
                        ValidationError(f"{label}: {message}")
                    )
            errors = ValidationError(error_dict)
        super()._update_errors(errors)


class EditTokenField(forms.CharField):
    """The hidden marker of the row's version: never a change by itself.

    Inline rows do not show it, so a browser posts none; counted as a change, every inline
    row would be saved again with its parent, and a colleague editing one would be told of a
    conflict nobody made.
    """

    def __init__(self):
        super().__init__(widget=forms.HiddenInput, required=False)

    def has_changed(self, initial, data):
        return False


class StaffModelForm(ModelErrorsForm):
    """Base of every admin form: refuses a save when the row changed since the form was loaded,
    and says what changed.

    The form carries the row's `updated` value as it was when the editor opened it. On save,
    if the row's current value differs, somebody else saved in between: the form is shown
    again with the editor's input intact and a message naming who changed what, and when.
    The refused form now carries the new marker, so saving again (after reading the message)
    deliberately keeps the editor's version; the other version stays in the history.
    A request without the marker (not from the admin's own form) is not checked.

    Inline rows that have a page of their own carry the marker too (ConcurrentEditInlineMixin):
    a row changed here is refused the same way, and a row left alone, which Django would save
    again with the values the page was loaded with, is not saved.
    """

    edit_token = EditTokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "edit_token" in self.fields:
            self.fields["edit_token"].initial = edit_token(getattr(self.instance, "updated", None))

    def clean(self):
        cleaned_data = super().clean()
        posted = (self.data.get(self.add_prefix("edit_token")) or "").strip()
        # Saved: the record's own page always, an inline row only when changed (a row left
        # alone is not saved, and keeps what a colleague saved on its own page meanwhile).
        saved = self.prefix is None or self.has_changed()
        if self.instance.pk and posted and "edit_token" in self.fields and saved:
            self._check_concurrent_edit(posted)
        return cleaned_data

    def _check_concurrent_edit(self, posted):
        model = type(self.instance)
        rows = model._default_manager.filter(pk=self.instance.pk)
        if connection.in_atomic_block and connection.features.has_select_for_update:
            rows = rows.select_for_update()
        current = rows.values_list("updated", flat=True).first()
        if current is None:
            raise ValidationError(
                _(
                    "Somebody deleted this record while you were editing it. Your input is "
                    "still below: copy what you need, then recover the record from its history "
                    "or add it again."
                ),
                code="deleted",
            )
        if edit_token(current) == posted:
            return
        if self.prefix is not None and self._left_alone(posted):
            # An inline row the editor did not touch: it differs from the stored row only by
            # what the other save changed, and is not saved (theirs stays). Django counts it
            # as changed: it compares the posted values with the stored row, not with the
            # row the page was loaded with.
            self.__dict__["changed_data"] = []
            return
        # Let a second, deliberate save through.
        data = self.data.copy()
        data[self.add_prefix("edit_token")] = edit_token(current)
        self.data = data
        raise ValidationError(conflict_message(self, posted, current), code="conflict")

    def _left_alone(self, posted):
        """Whether each field that differs from the stored row still holds the value it had
        when the page was loaded (as the history has it)."""
        loaded = _loaded_version(_versions(self.instance), posted)
        if loaded is None:
            return False
        model = type(self.instance)
        for name in self.changed_data:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                return False
            old_value = loaded.field_dict.get(name)
            if field.many_to_many:
                old_value = sorted(old_value or [])
            if not _same(_submitted_value(self.cleaned_data.get(name), field), old_value):
                return False
        return True


def _versions(instance):
    from reversion.models import Version

    return list(
        Version.objects.get_for_object(instance).select_related("revision", "revision__user")[:50]
    )


def _stored_value(obj, field):
    if field.many_to_many:
        return sorted(related.pk for related in getattr(obj, field.name).all())
    return getattr(obj, field.attname)


def _submitted_value(value, field):
    if field.many_to_many:
        return sorted(getattr(v, "pk", v) for v in (value or []))
    if field.many_to_one:
        return getattr(value, "pk", value)
    return value


def _same(a, b):
    return (a in (None, "") and b in (None, "")) or a == b


def _their_changes(model, loaded, now):
    """(label, before, after) for each field the other save changed, from the history."""
    changes = []
    for name, old_value in loaded.field_dict.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.editable or field.primary_key or name in {"updated", "created"}:
            continue
        new_value = _stored_value(now, field)
        if field.many_to_many:
            old_value = sorted(old_value or [])
        if not _same(old_value, new_value):
            changes.append(
                (field.verbose_name, _display(field, old_value), _display(field, new_value))
            )
    return changes


def _differences(model, cleaned_data, now):
    """(label, stored, yours) for each field where the stored record and the form differ."""
    changes = []
    for name, value in cleaned_data.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.editable or field.primary_key:
            continue
        stored, yours = _stored_value(now, field), _submitted_value(value, field)
        if not _same(stored, yours):
            changes.append((field.verbose_name, _display(field, stored), _display(field, yours)))
    return changes


def conflict_message(form, posted, current):
    """HTML naming who saved the record since the form was loaded, when, and what changed.

    With a history version of the state the editor loaded, it lists their changes
    (before → after); otherwise it lists where the stored record and the form now differ.
    """
    instance = form.instance
    model = type(instance)
    now = model._default_manager.get(pk=instance.pk)
    versions = _versions(instance)  # newest first
    loaded = _loaded_version(versions, posted)
    latest = versions[0] if versions else None
    if latest is not None and latest.revision.date_created >= _from_token(posted):
        who = latest.revision.user or _("somebody")
        when = latest.revision.date_created
    else:
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id=str(instance.pk),
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = entry.user if entry else _("somebody")
        when = entry.action_time if entry else current

    intro = format_html(
        "{} {}",
        _("Not saved: while you were editing, “{obj}” was saved by {who} at {when}.").format(
            obj=now,
            who=who,
            when=date_format(timezone.localtime(when), "DATETIME_FORMAT"),
        ),
        _("Your input is still in the form below."),
    )
    if loaded is not None:
        heading = _("What they changed:")
        rows = _their_changes(model, loaded, now)
        row_format = "<li>{}: <del>{}</del> → <ins>{}</ins></li>"
    else:
        heading = _("Where the saved record and your form differ:")
        rows = _differences(model, form.cleaned_data, now)
        row_format = "<li>{}: {} “{}”, {} “{}”</li>"
        stored_label, yours_label = _("saved"), _("yours")
        rows = [(label, stored_label, stored, yours_label, yours) for label, stored, yours in rows]
    details = ""
    if rows:
        details = format_html(
            ' {}<ul class="edit-conflict">{}</ul>',
            heading,
            format_html_join("", row_format, ((str(r[0]), *r[1:]) for r in rows)),
        )
    elif latest is not None and loaded is None:
        details = format_html(
            ' <ul class="edit-conflict"><li>{}</li></ul>', latest.revision.get_comment()
        )
    outro = _(
        "Compare, then save again to replace their version with yours "
        "(theirs stays in the history), or reload the page to start from theirs."
    )
    return format_html("{}{} {}", intro, details, outro)


def _loaded_version(versions, token):
    """The version of the state the form was loaded with, if the history has it."""
    return next(
        (v for v in versions if _same_millisecond(v.field_dict.get("updated"), token)), None
    )


def _same_millisecond(value, token):
    """History stores `updated` to the millisecond (JSON); the token has microseconds."""
    if isinstance(value, str):
        value = parse_datetime(value)
    # isascii(): "²".isdigit() is true, int("²") is not.
    if value is None or not (token.isascii() and token.isdigit()) or len(token) > 20:
        return False
    return int(edit_token(value)) // 1000 == int(token) // 1000


def _from_token(token):
    from datetime import UTC, datetime

    try:
        return datetime.fromtimestamp(int(token) / 1_000_000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.min.replace(tzinfo=UTC)


# --- Publication rights -------------------------------------------------------------------


def locked_publication_fields(status, publish_at, rights):
    """{field: why} for the publication fields a user holding ``rights`` may not change on a
    record with this status and time (a new record is a draft without a time).

    Without "publish" a draft stays a draft; without "unpublish" a published record stays
    published; the time of a published record needs both (publication_rights_needed).
    """
    state = (status, publish_at)
    locked = {}
    other_status = Status.DRAFT if status == Status.PUBLISHED else Status.PUBLISHED
    if not publication_rights_needed(state, (other_status, publish_at)) <= rights:
        locked["status"] = (
            _("Only staff who may withdraw can send this back to draft.")
            if status == Status.PUBLISHED
            else _("Only staff who may publish can publish this.")
        )
    other_time = None if publish_at else timezone.now()  # any other time
    if not publication_rights_needed(state, (status, other_time)) <= rights:
        locked["publish_at"] = _(
            "Only staff who may both publish and withdraw can change when a published item shows."
        )
    return locked


class PublishableInlineForm(StaffModelForm):
    """An inline row with a status: locked, row by row, where changing it needs a permission
    the user lacks. The admin sets ``rights`` for each request; without it nothing moves.

    Such a row has a page of its own too: changed here, it is refused like any record if
    somebody saved it there since the page was loaded (ConcurrentEditInlineMixin).
    """

    rights = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        locked = locked_publication_fields(instance.status, instance.publish_at, self.rights)
        for name, why in locked.items():
            if name in self.fields:
                field = self.fields[name]
                # Disabled: the browser sends nothing and the form keeps the stored value.
                field.disabled = True
                # Why, in the row itself (a tabular row shows no help text), in place of the
                # field's usual help.
                field.help_text = ""
                field.widget = LockedWidget(field.widget, why)


# --- Forms --------------------------------------------------------------------------------


class PlainDecimalField(forms.DecimalField):
    """A stored decimal shown as written (97, 12.5), not padded to the column's places
    (97.0000). Only the display changes: 97 is equal to 97.0000, so a form saved unchanged
    has no change, and every stored digit is shown."""

    def prepare_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return plain_number(value)
        return super().prepare_value(value)  # what the editor typed is shown as typed


class PublishableForm(StaffModelForm):
    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if not slug:
            return slug
        model = self._meta.model
        other = model._default_manager.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if other is not None:
            raise ValidationError(
                _(
                    "The address “%(slug)s” is already used by “%(other)s”. Choose another one, "
                    "or empty the field to have one made from the name."
                ),
                code="slug_clash",
                params={"slug": slug, "other": other},
            )
        return slug


class SectionForm(ModelErrorsForm):
    class Meta:
        widgets = {"body": RichTextWidget}

    def validate_constraints(self):
        # A section's order number is checked by its formset, against the other rows as
        # submitted (SectionFormSet.validate_unique): checked against the stored rows alone,
        # swapping two numbers would clash with the numbers being given up.
        exclude = self._get_validation_exclusions() | {"order"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as e:
            self._update_errors(e)

    def clean_body(self):
        body = sanitize_html(self.cleaned_data.get("body", ""))
        if not body:
            raise ValidationError(
                _(
                    "Nothing is left of this text once scripts and other disallowed content are "
                    "removed. Write the text again."
                ),
                code="empty_after_sanitizing",
            )
        return body


ORDER_MAX = ORDER_RANGE[0].limit_value


class SectionFormSet(forms.BaseInlineFormSet):
    """An article's sections, renumbered freely in one save: two swapped, all shifted, one
    deleted and its number given to another.

    Each number is used once per article (a section's natural key, which backups use). The
    numbers are checked together here, as they will be once saved; on saving, the rows whose
    number changes are first parked on free numbers, so that none meets a number another row
    is about to give up.
    """

    def validate_unique(self):
        # In place of Django's check among the rows, the only one a section has (its article
        # is the same for all): a clash is named on each row that has the number.
        numbers = {}
        for form in self.forms:
            if form in self.deleted_forms or (not form.has_changed() and not form.instance.pk):
                continue  # an empty extra row is not saved
            order = getattr(form, "cleaned_data", {}).get("order")
            if order is not None:
                numbers.setdefault(order, []).append(form)
        taken = set()
        if self.instance.pk is not None:  # rows of this article that are not on the page
            on_page = [form.instance.pk for form in self.initial_forms if form.instance.pk]
            taken = set(
                self.model._default_manager.filter(**{self.fk.name: self.instance})
                .exclude(pk__in=on_page)
                .filter(order__in=numbers)
                .values_list("order", flat=True)
            )
        for order, forms_with_it in numbers.items():
            if len(forms_with_it) > 1 or order in taken:
                for form in forms_with_it:
                    form.add_error(
                        "order",
                        ValidationError(
                            _(
                                "Another section of this article has the order number "
                                "%(order)s. Give each section a number of its own."
                            ),
                            code="order_taken",
                            params={"order": order},
                        ),
                    )

    def save_existing_objects(self, commit=True):
        if commit:
            self._park_moving_rows()
        return super().save_existing_objects(commit)

    def _park_moving_rows(self):
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and (form in self.deleted_forms or "order" in form.changed_data)
        ]
        if not moving:
            return
        rows = self.model._default_manager.filter(**{self.fk.name: self.instance})
        wanted = {form.cleaned_data.get("order") for form in self.forms if form.is_valid()}
        taken = wanted | set(rows.values_list("order", flat=True))
        free = (n for n in range(ORDER_MAX, -1, -1) if n not in taken)
        for pk in moving:
            rows.filter(pk=pk).update(order=next(free))


class WellFormedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value that is no key with the usual message, before Django's ``__in`` query."""

    def _check_values(self, value):
        model = self.queryset.model
        for key in value:
            if not is_well_formed_key(model, self.to_field_name, key, self.queryset.db):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class CheckedImageField(forms.ImageField):
    """An image field that decides by content (directory/images.py), not by file name."""

    default_validators = []

    def __init__(self, *, max_length=None, **kwargs):
        # No limit on the uploaded name: clean_upload() stores it under a short one.
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return clean_upload(upload)


class PhotoForm(StaffModelForm):
    class Meta:
        field_classes = {"image": CheckedImageField}
        widgets = {"image": PictureInput}

    def full_clean(self):
        super().full_clean()
        upload = self.files.get(self.add_prefix("image"))
        if upload is not None and "image" in self.fields and not self.has_error("image"):
            # Shown again only when the page has errors (else it was saved): the file must be
            # chosen again. A refused file's own error says so already.
            self.fields["image"].widget.chosen = upload.name

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if self.instance.pk and "image" not in self.cleaned_data:
            exclude.add("image")  # the stored picture is kept (see clean())
        return exclude

    def clean(self):
        cleaned_data = super().clean()
        image = cleaned_data.get("image")
        new_upload = self.add_prefix("image") in self.files
        if not self.instance.pk or new_upload or not image:
            return cleaned_data
        # The stored picture stays as it is: assigning or validating it again would re-read
        # its size from the file, which raises when the file is gone.
        del cleaned_data["image"]
        # Saved: the photo's own page always, an inline row only when changed.
        saved = self.prefix is None or self.has_changed()
        if saved and not image.storage.exists(image.name):
            self.add_error(
                "image",
                _(
                    "The file of this picture is no longer stored (it was replaced or deleted). "
                    "Upload the picture again."
                ),
            )
        return cleaned_data
