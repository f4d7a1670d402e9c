"""Import and export of institutions, enterprises and partnerships (django-import-export).

Columns are headed by the fields' labels in the editor's language; a file may also head them
by their labels in the other language or by the field names (files exported before). Rows are
matched on the slug (the page address): a row whose slug exists updates that record, a row
without a slug adds a new one (its slug is made from the pinyin of the name). Choices may be
given as their code (`higher_vocational`) or their label in Chinese or English (高职院校 /
Higher vocational college); related records by slug or by exact name. Any invalid row stops
the whole import: nothing is written.

Publication follows the importing user's permissions, as on the edit page: a row that would
publish, withdraw, or move the time of a published record without them is an invalid row.
"""

from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, MultipleObjectsReturned, ValidationError
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from import_export import resources, widgets
from import_export.fields import Field

from directory.models import (
    Cluster,
    Enterprise,
    Honour,
    Institution,
    InstitutionKind,
    Ownership,
    Park,
    Partnership,
    PartnershipKind,
    Relation,
    Status,
)
from directory.models.base import publication_rights, publication_rights_needed
from directory.sanitize import strip_control_characters

_LANGUAGES = ("zh-hans", "en")


def _key(text):
    """How a cell names a column or a choice: in any case, with stray spaces."""
    return "" if text is None else str(text).strip().lower()


def _keys(name, label):
    """What may name a column or a choice in a file: its name or code (files exported before
    labels) and its label in each language (名称, Name)."""
    keys = {_key(name)}
    for language in _LANGUAGES:
        with translation.override(language):
            keys.add(_key(label))
    return keys


class ChoiceWidget(widgets.Widget):
    """A choice, exported as its label in the editor's language; read by that label, by its
    label in the other language, or by its code."""

    def __init__(self, choices, default=None):
        super().__init__()
        self.choices = choices
        self.default = default

    @cached_property
    def _codes(self):
        """Each name a cell may give a choice (code, either label), with its code. The same
        in every language, so made once, not for every cell of a file."""
        return {key: code for code, label in self.choices for key in _keys(code, label)}

    def clean(self, value, row=None, **kwargs):
        text = _key(value)
        if not text:
            if self.default is not None:
                return self.default
            raise ValueError(gettext("This column must not be empty."))
        codes = self._codes
        if text not in codes:
            allowed = ", ".join(str(label) for code, label in self.choices if code)
            raise ValueError(
                gettext("“%(value)s” is not a known value; use one of: %(allowed)s.")
                % {"value": str(value).strip(), "allowed": allowed}
            )
        return codes[text]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(dict(self.choices).get(value, value))


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number, or an error that says so (not Decimal's "ConversionSyntax"); 2000.5
    is refused rather than cut to 2000."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip())
        except ArithmeticError:
            number = None
        if (
            number is None
            or not number.is_finite()
            or number != number.to_integral_value()
            or abs(number) > 10**9
        ):
            raise ValueError(gettext("Enter a whole number, such as 2008."))
        return int(number)


def _find(model, text):
    """One record by slug, else by exact name; ValueError with a clear message otherwise."""
    text = str(text).strip()
    try:
        return model._default_manager.get(slug=text)
    except model.DoesNotExist:
        pass
    try:
        return model._default_manager.get(name=text)
    except model.DoesNotExist:
        raise ValueError(
            gettext("No %(model)s with the address or name “%(value)s”.")
            % {"model": model._meta.verbose_name, "value": text}
        ) from None
    except MultipleObjectsReturned:
        raise ValueError(
            gettext("Several %(model)s are named “%(value)s”; give the address (slug) instead.")
            % {"model": model._meta.verbose_name_plural, "value": text}
        ) from None


class RelatedWidget(widgets.ForeignKeyWidget):
    """A related record by slug or exact name, exported as its slug."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return None
        return _find(self.model, value)


class RelatedListWidget(widgets.ManyToManyWidget):
    """Several related records, separated by commas (, or ，); unknown ones are an error."""

    def __init__(self, model):
        super().__init__(model, separator=",", field="slug")

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return self.model._default_manager.none()
        parts = [p.strip() for p in str(value).replace("，", ",").split(",") if p.strip()]
        pks = [_find(self.model, part).pk for part in parts]
        return self.model._default_manager.filter(pk__in=pks)


def column_label(model, attribute):
    """A column's header: the field's name as the forms show it, in the active language."""
    return capfirst(model._meta.get_field(attribute).verbose_name)


class PublishableResource(resources.ModelResource):
    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "PositiveSmallIntegerField": WholeNumberWidget,
    }

    status = Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(Status.choices, default=Status.DRAFT),
    )

    class Meta:
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Lazy: headers (and the row keys they become) are in the language of the request.
        for field in self.fields.values():
            field.column_name = column_label(self._meta.model, field.attribute)

    def _cell(self, row, name):
        return str(row.get(self.fields[name].column_name) or "").strip()

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        # NUL is taken out before the row is looked up (PostgreSQL refuses it in a query)
        # and reported by _row_errors; other control characters are dropped. An empty Excel
        # cell comes as None, which a text column (NOT NULL) refuses: it is "", as in a CSV.
        self._nul_columns = {key for key, value in row.items() if "\x00" in str(value or "")}
        for key, value in row.items():
            value = "" if value is None else strip_control_characters(value)
            row[key] = value.replace("\x00", "") if isinstance(value, str) else value

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._rows_by_slug = {}
        if dataset.headers:
            # A column may be headed by its field's name (files exported before headers were
            # labels: "slug") or by its label in Chinese or English ("网址别名", "Slug"), in
            # any case and with stray spaces ("NAME", "名称 "): each means the column.
            known = {}
            for field in self.get_import_fields():
                for key in _keys(field.attribute, field.column_name):
                    known.setdefault(key, str(field.column_name))
            dataset.headers = [known.get(_key(header), header) for header in dataset.headers]
        slug_column = str(self.fields["slug"].column_name)
        if dataset.headers and slug_column not in dataset.headers:
            # No address column: every row is a new record, its address made from its name.
            dataset.append_col([""] * len(dataset), header=slug_column)

    def _row_errors(self, row, **kwargs):
        """A NUL in any cell, no name, or a slug given on an earlier row of the same file."""
        errors = {}
        for field in self.get_import_fields():
            if field.column_name in getattr(self, "_nul_columns", ()):
                errors[field.attribute] = ValidationError(
                    gettext("This cell holds a NUL character; remove it."), code="null_characters"
                )
        if not self._cell(row, "name"):  # also "　" (U+3000), which looks empty
            errors["name"] = ValidationError(gettext("Every row needs a name."), code="required")
        slug = self._cell(row, "slug")
        number = kwargs.get("row_number")
        earlier = self._rows_by_slug.setdefault(slug, number) if slug else None
        if earlier is not None and earlier != number:
            errors["slug"] = ValidationError(
                gettext("The address “%(slug)s” is also on row %(row)s of this file.")
                % {"slug": slug, "row": earlier},
                code="slug_twice",
            )
        return errors

    def _publication_errors(self, before, instance, user):
        """A row that would publish, withdraw, or move the time of a published record, by
        someone who may not: an error that says what to write instead (as on the edit page,
        where such a user cannot change these fields)."""
        after = (instance.status, instance.publish_at)
        needed = publication_rights_needed(before, after)
        if user is None or needed <= publication_rights(user, self._meta.model):
            return {}
        if needed == {"publish"}:
            message = gettext(
                "You may not publish. Write “draft” here (or leave it empty); someone who may "
                "publish can publish it afterwards."
            )
            return {"status": ValidationError(message, code="may_not_publish")}
        if needed == {"unpublish"}:
            message = gettext("You may not withdraw a published record. Write “published” here.")
            return {"status": ValidationError(message, code="may_not_unpublish")}
        if before[1] is None:
            message = gettext(
                "You may not change when a published record shows. Leave this cell empty, "
                "as it is now."
            )
        else:
            message = gettext(
                "You may not change when a published record shows. Keep the time it has: %(time)s."
            ) % {"time": f"{timezone.localtime(before[1]):%Y-%m-%d %H:%M:%S}"}
        return {"publish_at": ValidationError(message, code="may_not_move")}

    def import_instance(self, instance, row, **kwargs):
        """Check many-to-many columns with the others, so a bad one is a row error; and the
        publication against the importing user's rights."""
        errors = self._row_errors(row, **kwargs)
        before = None if instance._state.adding else (instance.status, instance.publish_at)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, error in self._publication_errors(before, instance, kwargs.get("user")).items():
            errors.setdefault(name, error)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.validation_error is not None:
            result.validation_error = self._labelled(result.validation_error)
        return result

    def _labelled(self, error):
        """The row's errors by the columns' labels (建校年份), as the preview names them, not
        by the fields' names (founded_year)."""
        if not hasattr(error, "error_dict"):
            return error
        labelled = {}
        for name, errors in error.error_dict.items():
            try:
                name = str(column_label(self._meta.model, name))
            except FieldDoesNotExist:
                pass  # NON_FIELD_ERRORS: the errors of the row as a whole
            labelled.setdefault(name, []).extend(errors)
        return ValidationError(labelled)

    def get_instance(self, instance_loader, row):
        # A row without a slug is a new record: never match it against anything.
        if not self._cell(row, "slug"):
            return None
        return super().get_instance(instance_loader, row)


class InstitutionResource(PublishableResource):
    kind = Field(attribute="kind", column_name="kind", widget=ChoiceWidget(InstitutionKind.choices))
    ownership = Field(
        attribute="ownership",
        column_name="ownership",
        widget=ChoiceWidget(Ownership.choices, default=Ownership.UNSTATED),
    )
    honours = Field(attribute="honours", column_name="honours", widget=RelatedListWidget(Honour))

    class Meta(PublishableResource.Meta):
        model = Institution
        fields = [
            "slug",
            "name",
            "name_en",
            "aliases",
            "kind",
            "ownership",
            "founded_year",
            "summary",
            "description",
            "address",
            "website",
            "honours",
            "order",
            "status",
            "publish_at",
        ]
        export_order = fields


class EnterpriseResource(PublishableResource):
    relation = Field(
        attribute="relation", column_name="relation", widget=ChoiceWidget(Relation.choices)
    )
    park = Field(attribute="park", column_name="park", widget=RelatedWidget(Park))
    cluster = Field(attribute="cluster", column_name="cluster", widget=RelatedWidget(Cluster))
    honours = Field(attribute="honours", column_name="honours", widget=RelatedListWidget(Honour))

    class Meta(PublishableResource.Meta):
        model = Enterprise
        fields = [
            "slug",
            "name",
            "name_en",
            "aliases",
            "relation",
            "park",
            "cluster",
            "is_fortune_global_500",
            "summary",
            "description",
            "website",
            "honours",
            "status",
            "publish_at",
        ]
        export_order = fields


class PartnershipResource(PublishableResource):
    kind = Field(attribute="kind", column_name="kind", widget=ChoiceWidget(PartnershipKind.choices))
    institution = Field(
        attribute="institution", column_name="institution", widget=RelatedWidget(Institution)
    )
    enterprise = Field(
        attribute="enterprise", column_name="enterprise", widget=RelatedWidget(Enterprise)
    )

    class Meta(PublishableResource.Meta):
        model = Partnership
        fields = [
            "slug",
            "name",
            "name_en",
            "aliases",
            "kind",
            "institution",
            "enterprise",
            "description",
            "status",
            "publish_at",
        ]
        export_order = fields
