"""run_service: one service call, its outcome as a message."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from wsis.core.actions import run_service


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_success_message_may_use_the_result():
    request = _request()
    ok, result = run_service(request, lambda: 3, lambda n: f"{n} copied.")
    assert (ok, result) == (True, 3)
    assert [str(m) for m in get_messages(request)] == ["3 copied."]


def test_validation_error_becomes_an_error_message_and_nothing_is_returned():
    def fails():
        raise ValidationError(["Choose a section.", "Try again."])

    request = _request()
    ok, result = run_service(request, fails, "never shown")
    assert (ok, result) == (False, None)
    messages = list(get_messages(request))
    assert [m.level_tag for m in messages] == ["error"]
    assert str(messages[0]) == "Choose a section. Try again."


def test_service_errors_land_on_the_named_field_or_the_top():
    from django import forms

    from wsis.core.actions import form_add_service_errors

    class F(forms.Form):
        label_en = forms.CharField(required=False)

    form = F({"label_en": "x"})
    form.is_valid()
    form_add_service_errors(form, ValidationError({"label": ["Too short."], "other": ["Unknown."]}),
                            field_map={"label": "label_en"})
    assert form.errors["label_en"] == ["Too short."]
    assert form.non_field_errors() == ["Unknown."]
