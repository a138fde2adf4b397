from __future__ import annotations

from django import forms

from aims.core.forms import describe_fields
from aims.exchange.imports.kinds import KINDS
from aims.exchange.imports.reading import MAX_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds", choices=[(k.key, k.label) for k in KINDS.values()],
        help_text="The register the rows go into. The file's first row names the columns, "
                  "with the titles of that register's export.")
    file = forms.FileField(
        label="Spreadsheet (CSV or XLSX)",
        help_text="CSV saved as UTF-8, or an Excel workbook (.xlsx, first sheet; values, not "
                  f"formulas). At most {MAX_BYTES // (1024 * 1024)} MB. Nothing is written "
                  "until you have seen the preview and confirmed it.")

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(k, KINDS[k].label) for k in kinds]
        describe_fields(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it.")
        return upload
