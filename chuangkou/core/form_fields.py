"""Form fields and the accessible-form mixin every app's public forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AccessibleFormMixin:
    """Tie each field's help text and errors to its input, so a screen reader announces them
    with the field (ids match ``includes/form_field.html``), and list every error for the summary, where
    each message is preceded by its field's name ("标题：请填写标题。").

    ``unlinked_fields`` are fields no person should be sent to (the honeypot): their messages
    name the field themselves and are listed without a link."""

    summary_labels: dict[str, str] = {}
    unlinked_fields: frozenset[str] = frozenset()

    def _describe_fields(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            described_by = []
            if field.help_text:
                described_by.append(f"{bound.auto_id}-help")
            if self._errors and name in self._errors:
                described_by.append(f"{bound.auto_id}-errors")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._describe_fields()

    def _anchor(self, name: str) -> str:
        bound = self[name]
        widget = self.fields[name].widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{bound.auto_id}_0"
        return bound.auto_id

    def error_summary(self) -> list[dict]:
        """Every error of the bound form, in field order: where it is and what is wrong, for
        the summary that links to each field (GOV.UK-style error summary, WCAG 3.3.1)."""
        if not self.is_bound or not self.errors:
            return []
        items = [{"anchor": None, "label": "", "message": message}
                 for message in self.non_field_errors()]
        for name in self.fields:
            if name in self.errors:
                field = self[name]
                linked = not field.is_hidden and name not in self.unlinked_fields
                label = self.summary_labels.get(name, str(field.label)) if linked else ""
                label = label.removesuffix(str(_("（选填）")))
                anchor = self._anchor(name) if linked else None
                items.extend({"anchor": anchor, "label": label, "message": message}
                             for message in self.errors[name])
        return items
