"""Forms of the classify app: the text to check, starting a bulk run, reviewing its suggestions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SuggestionRun

__all__ = ["CheckTextForm", "RunStartForm", "ReviewForm"]


class CheckTextForm(forms.Form):
    """Title, summary and description, as the initiative form names them."""

    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(label=_("Description"), required=False, max_length=50_000,
                                  widget=forms.Textarea(attrs={"rows": 8}))

    def clean(self):
        data = super().clean()
        if not any((data.get(k) or "").strip() for k in ("title", "summary", "description")):
            raise forms.ValidationError(_("Enter a title, a summary or a description to check."), code="empty")
        return data

    @property
    def text(self) -> str:
        d = self.cleaned_data
        return "\n".join(part for part in (d.get("title"), d.get("summary"), d.get("description")) if part)


class RunStartForm(forms.Form):
    scope = forms.ChoiceField(label=_("Initiatives to check"), choices=SuggestionRun.Scope.choices,
                              initial=SuggestionRun.Scope.PUBLISHED, widget=forms.RadioSelect)


class ReviewForm(forms.Form):
    """Which suggestions of a run to accept or dismiss."""

    ACCEPT, DISMISS = "accept", "dismiss"

    action = forms.ChoiceField(label=_("Action"), choices=[(ACCEPT, _("Accept")), (DISMISS, _("Dismiss"))])
    selected = forms.TypedMultipleChoiceField(label=_("Suggestions"), coerce=int, choices=())

    def __init__(self, *args, suggestion_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(pk, pk) for pk in suggestion_ids]
        self.fields["selected"].error_messages["required"] = _("Tick at least one suggestion.")
