"""What every admin page here shares: history, concurrent-edit refusal, publication, imports."""

import re
from functools import partial

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import DatabaseError, models, transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from import_export.tmp_storages import CacheStorage
from reversion.admin import VersionAdmin
from reversion.errors import RevertError

from directory import renditions
from directory.models import Photo, Publishable, Status
from directory.models.base import publication_rights, publication_rights_needed
from directory.redis_cache import CACHE_ERRORS, strict

from .forms import (
    PhotoForm,
    PlainDecimalField,
    PublishableForm,
    PublishableInlineForm,
    StaffModelForm,
    WellFormedModelMultipleChoiceField,
    locked_publication_fields,
)
from .history import record_versions, restored_together, revert_record
from .resources import column_label
from .widgets import StaffAutocompleteSelect, StaffAutocompleteSelectMultiple


def photo_thumbnail(photo):
    """The admin's small picture of a photo: its thumbnail rendition, never a broken image."""
    if photo is None or not photo.image:
        return format_html('<span class="admin-thumb--none">{}</span>', gettext("no picture"))
    found = renditions.lookup(photo, "thumbnail")
    if found is not None:
        url, width, height = found.url, found.width, found.height
    elif photo.image.storage.exists(photo.image.name):
        # Renditions not made yet (they follow the save): staff may see the original.
        url, width, height = photo.image.url, photo.width, photo.height
    else:
        return format_html('<span class="admin-thumb--none">{}</span>', gettext("file missing"))
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="admin-thumb" loading="lazy">',
        url,
        photo.alt_text,
        width or "",
        height or "",
    )


def schedule_renditions(photo):
    """Make the photo's renditions once the save has committed (never in a visitor's request)."""
    transaction.on_commit(partial(renditions.generate_and_announce, photo))


class StaffSearchBoxesMixin:
    """Search boxes (autocomplete_fields) and many-to-many choices that refuse hand-made
    values ("abc", 10**30) with a form error instead of a 500.

    For admins and inlines alike: Django builds its own widget only when none is given.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = StaffAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", WellFormedModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = StaffAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def parsed_datetime(text):
    """The date and time ``text`` writes (ISO 8601), or None when it is no valid one."""
    try:
        return parse_datetime(text)
    except ValueError:  # well formed but impossible: 2026-13-45 10:00
        return None


class ConcurrentEditInlineMixin:
    """Inline rows that have a page of their own (partnerships, figures, photos) carry their
    version marker, as the record's own page does (StaffModelForm): a row changed here that
    somebody saved on its own page meanwhile is refused, with what they changed, instead of
    silently putting the older values back."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self.has_change_permission(request, obj) and "edit_token" not in fields:
            fields.append("edit_token")  # a hidden input: the browser shows no column
        return fields


class PublicationInlineMixin(ConcurrentEditInlineMixin):
    """Inline rows with a status (partnerships, figures): each row's status is locked where
    changing it needs a permission the user lacks, as on the record's own page."""

    form = PublishableInlineForm

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.rights = frozenset(publication_rights(request.user, self.model))
        return formset


class CheckedChangeList(ChangeList):
    """A list whose hand-made filter fails only when its query runs (``?name__regex=[``, a
    year past 9999, a number too large for the database) gets the admin's answer to any
    other bad filter: the redirect to ``?e=1``, not a 500."""

    def get_results(self, request):
        try:
            # A savepoint: on PostgreSQL a failed query spoils the transaction it is in.
            with transaction.atomic(using=self.queryset.db):
                super().get_results(request)
                len(self.result_list)  # run the page's query here, not in the template
        except (DatabaseError, ArithmeticError, ValueError) as exc:
            if not (self.get_filters_params() or self.query):
                raise  # the unfiltered list fails: a fault of ours, not of the address
            raise IncorrectLookupParameters(exc) from exc


def _plural_names(models):
    return "、".join(str(model._meta.verbose_name_plural) for model in models)


# Decimal columns keep 4 places: their values are shown as written (97, not 97.0000).
PLAIN_DECIMALS = {models.DecimalField: {"form_class": PlainDecimalField}}


class StaffAdmin(StaffSearchBoxesMixin, VersionAdmin):
    """History of every change (django-reversion) and refusal of overwriting saves."""

    form = StaffModelForm
    formfield_overrides = PLAIN_DECIMALS
    history_latest_first = True
    list_per_page = 50
    save_on_top = True
    # reversion's history, restore and recover pages, saying what a restore brings back,
    # with the admin's own breadcrumbs.
    object_history_template = "admin/directory/reversion/object_history.html"
    revision_form_template = "admin/directory/reversion/revision_form.html"
    recover_form_template = "admin/directory/reversion/recover_form.html"
    recover_list_template = "admin/directory/reversion/recover_list.html"

    class Media:
        css = {"all": ["directory/admin/staff.css"]}

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # ?publish_at=… on an add page: the date-and-time widget takes a datetime, not text.
        for field in self.opts.concrete_fields:
            if isinstance(field, models.DateTimeField) and field.name in initial:
                initial[field.name] = parsed_datetime(initial[field.name])
        return initial

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append((None, {"fields": ["edit_token"], "classes": ["hidden"]}))
        return fieldsets

    def _restore_note(self):
        """The names of the record's inline rows a restore brings back, and of those it
        leaves alone (an institution's partnerships and figures have their own history)."""
        restored, own = restored_together(self.model, [inline.model for inline in self.inlines])
        return {"restored_with": _plural_names(restored), "own_history": _plural_names(own)}

    def history_view(self, request, object_id, extra_context=None):
        context = {**self._restore_note(), **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        """The restore and recover pages (reversion's revision_view and recover_view)."""
        if version._model is not self.model:
            raise Http404  # a version of another kind of record, in a hand-made address
        # reversion reverts the version's whole revision, which for an import holds every
        # row of the file: restore this record and its inline rows only.
        request._keys_kept = kept = []
        version.revision.revert = partial(revert_record, version, keys_changed=kept)
        context = {**self._restore_note(), **(extra_context or {})}
        return super()._reversion_revisionform_view(request, version, template_name, context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Restoring: runs after the revert, before the form is made. Said on the page that
        # shows the old version; what is saved is the address in the form.
        kept = getattr(request, "_keys_kept", None)
        if kept and request.method == "GET":
            for old, field, key, given, holder in kept:
                message = gettext(
                    "The %(field)s “%(key)s” of this version is now used by “%(other)s”: "
                    "“%(name)s” gets “%(given)s” instead. Change it below before saving if "
                    "you like; to give it back “%(key)s”, first change that of “%(other)s”."
                )
                params = {
                    "field": field.verbose_name,
                    "key": key,
                    "other": holder,
                    "name": old.object_repr,
                    "given": given,
                }
                self.message_user(request, message % params, messages.WARNING)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            instance = inline_form.instance
            if isinstance(instance, Photo) and instance.pk and "image" in inline_form.changed_data:
                schedule_renditions(instance)


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published (visible)")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.filter(status=Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.filter(status=Status.PUBLISHED).exclude(queryset.published_q())
        if self.value() == "published":
            return queryset.published()
        return queryset


class RelatedFilter(admin.RelatedFieldListFilter):
    """A filter by a related record whose choice of records without one reads "无" (None),
    not the admin's "-", which editors took for a stray mark."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = gettext("None")


def publication_state(obj):
    if obj.status != Status.PUBLISHED:
        return "draft", gettext("Draft")
    if not obj.is_published:
        return "scheduled", gettext("Scheduled")
    return "published", gettext("Published")


class PublishableAdmin(StaffAdmin):
    """Every public model: state, pinyin search, slug clashes, publish actions, preview."""

    form = PublishableForm
    list_display = ["name", "slug", "state", "updated"]
    list_filter = [PublicationStateFilter]
    # Searching goes through search_text, which holds Chinese, pinyin and initials.
    search_fields = ["search_text"]
    search_help_text = _(
        "Search by Chinese name, other names, pinyin or initials (e.g. 五一, wuyi, WYJS)."
    )
    readonly_fields = ["created", "updated", "pinyin", "initials"]
    actions = ["publish", "unpublish"]
    publication_fields = (_("Publication"), {"fields": ["status", "publish_at", "slug"]})
    record_fields = (
        _("Record"),
        {"fields": ["pinyin", "initials", "created", "updated"], "classes": ["collapse"]},
    )

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False

    @admin.display(description=_("state"), ordering="status")
    def state(self, obj):
        key, label = publication_state(obj)
        if key == "scheduled":
            label = f"{label} · {timezone.localtime(obj.publish_at):%Y-%m-%d %H:%M}"
        return format_html('<span class="state-badge state-badge--{}">{}</span>', key, label)

    def view_on_site(self, obj):
        """The public page; for what visitors cannot see yet, the staff preview of it."""
        if not obj.slug:
            # A cleared slug is made again on save; the form shown with another error has none.
            return None
        if not obj.is_published:
            try:
                return reverse(f"preview:{obj._meta.model_name}", kwargs={"slug": obj.slug})
            except NoReverseMatch:
                pass
        return obj.get_absolute_url()

    # --- Saved, but not on the site ---------------------------------------------------------

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._say_if_not_visible(request, obj)  # after "added"
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self._say_if_not_visible(request, obj)
        return response

    def _say_if_not_visible(self, request, obj):
        """After a save: a draft or scheduled record is not on the site, which a new record
        (a draft unless set otherwise) did not say; the editor looked for it in vain."""
        if IS_POPUP_VAR in request.POST or obj.is_published:
            return
        if obj.status == Status.PUBLISHED:
            message = gettext("“%(name)s” is scheduled: visitors see it from %(time)s.")
            time = date_format(timezone.localtime(obj.publish_at), "DATETIME_FORMAT")
            params = {"name": obj, "time": time}
        elif self.has_publish_permission(request):
            message = gettext(
                "“%(name)s” is a draft: visitors do not see it. To show it, set its status to "
                "“%(published)s” and save, or use “%(action)s” in the list."
            )
            params = {
                "name": obj,
                "published": Status.PUBLISHED.label,
                "action": self.publish.short_description,
            }
        else:
            message = gettext(
                "“%(name)s” is a draft: visitors do not see it until somebody who may publish "
                "publishes it."
            )
            params = {"name": obj}
        self.message_user(request, message % params, messages.INFO)

    # --- Publish and withdraw ---------------------------------------------------------------

    def _locked_publication(self, request, obj):
        """{field: why} for the status and time this user may not change here (see forms)."""
        if obj is None:
            return locked_publication_fields(Status.DRAFT, None, self._rights(request))
        return locked_publication_fields(obj.status, obj.publish_at, self._rights(request))

    def _rights(self, request):
        return publication_rights(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [f for f in self._locked_publication(request, obj) if f not in fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A locked field says why, in place of its usual help.
        locked = self._locked_publication(request, obj)
        if self._withdraws_from_the_list_only(request, obj):
            # A reviewer: the page is read-only, withdrawing is a list action.
            locked["status"] = gettext(
                "To withdraw it (back to draft), tick it in the list and use “%(action)s”."
            ) % {"action": self.unpublish.short_description}
        if locked:
            kwargs["help_texts"] = {**locked, **kwargs.get("help_texts", {})}
        return super().get_form(request, obj, change, **kwargs)

    def _withdraws_from_the_list_only(self, request, obj):
        return (
            obj is not None
            and obj.status == Status.PUBLISHED
            and self.has_unpublish_permission(request)
            and not self.has_change_permission(request, obj)
        )

    def _permission(self, request, action):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def has_publish_permission(self, request):
        return self._permission(request, "publish")

    def has_unpublish_permission(self, request):
        return self._permission(request, "unpublish")

    def _set_status(self, request, queryset, status):
        field_label = str(self.opts.get_field("status").verbose_name)
        changed = scheduled = 0
        now = timezone.now()
        for obj in queryset:
            if obj.status == status:
                continue
            obj.status = status
            obj.save(update_fields=["status", "updated"])
            self.log_change(request, obj, [{"changed": {"fields": [field_label]}}])
            changed += 1
            if status == Status.PUBLISHED and obj.publish_at and obj.publish_at > now:
                scheduled += 1
        if reversion.is_active():
            reversion.set_comment(
                gettext("Published with the list action.")
                if status == Status.PUBLISHED
                else gettext("Withdrawn with the list action.")
            )
        return changed, scheduled

    @admin.action(description=_("Publish selected items"), permissions=["publish"])
    def publish(self, request, queryset):
        count, scheduled = self._set_status(request, queryset, Status.PUBLISHED)
        message = ngettext("%d item published.", "%d items published.", count) % count
        if scheduled:
            message += (
                " "
                + ngettext(
                    "%d of them is scheduled and shows from its publication time.",
                    "%d of them are scheduled and show from their publication time.",
                    scheduled,
                )
                % scheduled
            )
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(
        description=_("Withdraw selected items (back to draft)"), permissions=["unpublish"]
    )
    def unpublish(self, request, queryset):
        count, _scheduled = self._set_status(request, queryset, Status.DRAFT)
        self.message_user(
            request,
            ngettext("%d item withdrawn.", "%d items withdrawn.", count) % count,
            messages.SUCCESS,
        )

    # --- History: restoring an old version neither publishes nor withdraws ------------------

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        self._note_publication_to_keep(request, version)
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    def _note_publication_to_keep(self, request, version):
        """Before the record and its inline rows are reverted: those whose old version would
        change their publication beyond the user's rights, with their publication now.
        (Who may only view sees the old version as it was: nothing is saved.)"""
        request._publication_to_keep = kept = []
        if not self.has_change_permission(request):
            return
        try:
            versions = record_versions(version)
        except RevertError:
            return  # reversion reports it when it reverts
        for old in versions:
            model = old._model
            if model is None or not issubclass(model, Publishable):
                continue
            try:
                fields = old.field_dict
            except RevertError:
                continue  # reversion reports it when it reverts
            rows = model._default_manager.filter(pk=old.object_id)
            now = rows.values_list("status", "publish_at").first()  # None: deleted
            needed = publication_rights_needed(now, (fields["status"], fields["publish_at"]))
            if not needed <= publication_rights(request.user, model):
                kept.append((rows, old.object_repr, now))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Restoring: runs after the revert, in its transaction, before the form is made.
        kept = getattr(request, "_publication_to_keep", None)
        if kept:
            request._publication_to_keep = None
            for rows, _name, now in kept:
                if now is None:
                    rows.update(status=Status.DRAFT)  # recovered: a draft, as a new record is
                else:
                    rows.update(status=now[0], publish_at=now[1])
            names = "、".join(f"“{name}”" for _rows, name, _now in kept)
            message = gettext(
                "You may not publish or withdraw: the publication state of %(names)s stays as "
                "it is now, not as in the old version (a recovered record comes back as a "
                "draft)."
            )
            self.message_user(request, message % {"names": names}, messages.WARNING)
        return super().changeform_view(request, object_id, form_url, extra_context)


class _ImportFailed(Exception):
    def __init__(self, result):
        super().__init__("import failed")
        self.result = result


class StaffExportForm(SelectableFieldsExportForm):
    def _get_field_label(self, resource, field_name):
        # The column's header (名称), not its field name made into English words ("Name En").
        return column_label(resource._meta.model, resource.fields[field_name].attribute)

    @property
    def media(self):
        # Binds "Select all" without the inline handler the CSP blocks.
        return super().media + forms.Media(js=["directory/admin/export.js"])


def as_utf8(upload):
    """The upload re-encoded as UTF-8 when it is not: Excel on Chinese Windows saves CSV in GBK.

    GB18030 reads GBK and GB2312 too, and almost any other bytes: a file in yet another
    encoding comes out garbled in the preview, where the editor sees it before confirming.
    """
    data = b"".join(upload.chunks())
    try:
        data.decode("utf-8-sig")
        return ContentFile(data, name=upload.name)
    except UnicodeDecodeError:
        pass
    try:
        return ContentFile(data.decode("gb18030").encode("utf-8"), name=upload.name)
    except UnicodeDecodeError:
        return ContentFile(data, name=upload.name)


def _blank(row):
    return not any(str(cell).strip() for cell in row if cell is not None)


def header_on_first_filled_row(dataset):
    """The dataset read with its first filled row as the header row.

    Sheets often start with a blank row, or a CSV with a blank line: tablib took that for the
    header, so a CSV had no columns at all (a 500) and an Excel sheet had its real header read
    as a row ("every row needs a name" on every row).
    """
    if dataset.headers and not _blank(dataset.headers):
        return dataset
    rows = list(dataset)
    while rows and _blank(rows[0]):
        rows.pop(0)
    fixed = type(dataset)()
    if rows:
        fixed.headers = rows[0]
        for row in rows[1:]:
            fixed.append(list(row) + [""] * (fixed.width - len(row)))
    return fixed


class StaffCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        return header_on_first_filled_row(super().create_dataset(in_stream, **kwargs))


class StaffXLSX(XLSX):
    def create_dataset(self, in_stream):
        return header_on_first_filled_row(super().create_dataset(in_stream))


PREVIEW_NAME = re.compile(r"[0-9a-f]{32}")  # CacheStorage's names: uuid4().hex


class PreviewUnavailable(Exception):
    """The cache did not keep or give back the uploaded file while the preview waited."""


class PreviewStorage(CacheStorage):
    """The uploaded file, kept in the shared cache until the editor confirms the preview.

    While the cache is down, writes are dropped and reads miss (directory.redis_cache), and
    import-export would read nothing and blame the file ("'TypeError' encountered while
    trying to read file"): here a cache that cannot keep or give back the file says so.
    """

    def save(self, data):
        try:
            with strict():
                super().save(data)
        except CACHE_ERRORS as error:
            raise PreviewUnavailable from error

    def read(self):
        try:
            with strict():
                data = super().read()
        except CACHE_ERRORS as error:
            raise PreviewUnavailable from error
        if data is None:
            raise PreviewUnavailable  # dropped or evicted: confirmations check first
        return data


class StaffImportExportMixin(ImportExportMixin):
    """CSV and Excel in and out; an import is one revision, and all rows or none are saved."""

    import_formats = [StaffCSV, StaffXLSX]
    export_formats = [CSV, XLSX]
    export_form_class = StaffExportForm
    tmp_storage_class = PreviewStorage

    def import_action(self, request, **kwargs):
        try:
            return super().import_action(request, **kwargs)
        except PreviewUnavailable:
            return self._site_could_not_finish(request)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, PreviewUnavailable):
            raise e  # not the file's fault (import_action)
        super().add_data_read_fail_error_to_form(form, e)

    def export_action(self, request):
        """The export takes the list's filters from its address; one it cannot use (a field
        that does not exist, ``?name__regex=[``) gets the list's answer, the redirect to ?e=1."""
        try:
            # A savepoint: on PostgreSQL a failed query spoils the transaction it is in.
            with transaction.atomic(using=self.model._default_manager.db):
                return super().export_action(request)
        except (IncorrectLookupParameters, DatabaseError, ArithmeticError, ValueError):
            if not request.GET.keys() - {ERROR_FLAG}:
                raise  # the unfiltered export fails: a fault of ours, not of the address
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        try:
            if form.is_valid() and not self._can_confirm(form, request):
                message = gettext(
                    "This preview is no longer available: it was imported already, or it "
                    "expired. Upload the file again."
                )
                return self._back_to_upload(request, message, messages.WARNING)
            return super().process_import(request, **kwargs)
        except PreviewUnavailable:
            return self._site_could_not_finish(request)

    def _site_could_not_finish(self, request):
        message = gettext(
            "The site could not finish: the store that keeps your file until you confirm the "
            "preview (the cache) is not answering. Nothing was imported, and your file is not "
            "at fault: try again in a few minutes. If this keeps happening, tell the site's "
            "administrator."
        )
        return self._back_to_upload(request, message, messages.ERROR)

    def _back_to_upload(self, request, message, level):
        self.message_user(request, message, level)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))

    def _can_confirm(self, form, request):
        """The posted preview exists, in a format and for a resource that exist."""
        data = form.cleaned_data
        name = data.get("import_file_name") or ""
        try:
            format_ok = 0 <= int(data.get("format")) < len(self.get_import_formats())
            resources = self.get_import_resource_classes(request)
            resource_ok = 0 <= int(data.get("resource") or 0) < len(resources)
        except (TypeError, ValueError):
            return False
        if not (format_ok and resource_ok and PREVIEW_NAME.fullmatch(name)):
            return False
        try:
            return cache.has_key(PreviewStorage.CACHE_PREFIX + name)
        except CACHE_ERRORS as error:
            raise PreviewUnavailable from error

    def write_to_tmp_storage(self, import_file, input_format):
        if not input_format.is_binary():
            import_file = as_utf8(import_file)
        return super().write_to_tmp_storage(import_file, input_format)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_dataset(self, dataset, form, request, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        file_name = kwargs.get("file_name") or form.cleaned_data.get("original_file_name") or ""
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(gettext("Imported from %(file)s.") % {"file": file_name})
                result = super().process_dataset(dataset, form, request, **kwargs)
                if result.has_errors() or result.has_validation_errors():
                    raise _ImportFailed(result)  # undoes the rows and the revision
        except _ImportFailed as failed:
            return failed.result
        return result

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            message = gettext(
                "Nothing was imported: the file has rows with errors. Upload it again to see them."
            )
            return self._back_to_upload(request, message, messages.ERROR)
        return super().process_result(result, request)


class PhotoAdminMixin:
    """Photos saved on their own page get their renditions made after the save commits."""

    form = PhotoForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "image" in form.changed_data:
            schedule_renditions(obj)
