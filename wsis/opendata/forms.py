from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .iati import MAX_BYTES


class IatiImportForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    file = forms.FileField(label=_("IATI activity file (XML)"),
                           help_text=_("An IATI 2.03 activity file. Each activity becomes a draft initiative of "
                                       "the organisation; at most 20 MB."))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xml"):
            raise ValidationError(_("Upload an .xml file."))
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload
