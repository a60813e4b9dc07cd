"""One field template for every form: Django's BoundField ties help text and errors to the input."""

import re

from django import forms

from wsis.core.forms import FormRenderer


class _Form(forms.Form):
    name = forms.CharField(label="Name", help_text="As in your passport.")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    agree = forms.BooleanField(label="I agree", required=False)
    note = forms.CharField(label="Note", required=False)


def test_the_project_renderer_is_in_use():
    assert isinstance(_Form().renderer, FormRenderer)


def test_a_field_with_an_error_is_labelled_described_and_marked_invalid():
    html = str(_Form(data={"kind": "a"})["name"].as_field_group())
    assert '<div class="form-row has-error">' in html
    assert re.search(r'<label for="id_name" dir="auto">Name <span class="required">\(required\)</span></label>', html)
    assert '<p class="help" id="id_name_helptext" dir="auto">As in your passport.</p>' in html
    assert '<ul class="errorlist" id="id_name_error"><li>This field is required.</li></ul>' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_name_helptext id_name_error"' in html


def test_a_valid_field_is_not_marked_invalid():
    html = str(_Form(data={"name": "Ada", "kind": "a"})["name"].as_field_group())
    assert "aria-invalid" not in html and "has-error" not in html
    assert 'aria-describedby="id_name_helptext"' in html


def test_choices_are_a_fieldset_described_by_their_errors():
    html = str(_Form(data={"name": "Ada"})["kind"].as_field_group())
    assert html.startswith('<fieldset class="form-row choice-group has-error" aria-describedby="id_kind_error">')
    assert '<legend dir="auto">Kind <span class="required">(required)</span></legend>' in html
    assert html.count('type="radio"') == 2 and '<label class="choice" for="id_kind_0">' in html


def test_a_checkbox_comes_before_its_label():
    html = str(_Form()["agree"].as_field_group())
    assert html.index('type="checkbox"') < html.index('<label for="id_agree"')
    assert 'class="form-row check"' in html


def test_a_field_optional_in_a_draft_can_still_show_required():
    form = _Form()
    assert "required" not in str(form["note"].as_field_group()).split("</label>")[0]
    form.fields["note"].show_required = True
    assert '<span class="required">(required)</span>' in str(form["note"].as_field_group())
