"""The widget renderer writes exactly what Django's widget templates write."""

import datetime
from pathlib import Path

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from aims.core.widgets import INPUTS, WIDGETS, WRITERS, WidgetRenderer

DJANGO = DjangoTemplates()
OURS = WidgetRenderer()

ATTRS = {"id": "id_x", "class": 'a "b" <c>', "required": True, "disabled": False,
         "data-n": 3, "aria-label": gettext_lazy("Owner"), "data-safe": mark_safe("<b>"),
         "data-none": None}
CHOICES = [("", "Anyone"), ("1", "Ann & Bob"), (2, gettext_lazy("Two")), ("3", mark_safe("<i>3</i>")),
           ("Group <g>", [("g1", "G one"), ("g2", "G two")])]


def both(widget: forms.Widget, value: object, attrs: dict | None = None) -> tuple[str, str]:
    ours = widget.render("field", value, attrs=attrs, renderer=OURS)
    theirs = widget.render("field", value, attrs=attrs, renderer=DJANGO)
    return ours, theirs


WIDGET_CASES = [
    (forms.TextInput(), None), (forms.TextInput(), ""), (forms.TextInput(), 'x "y" <z> & w'),
    (forms.TextInput(attrs={"type": "search"}), "q"), (forms.NumberInput(), 12),
    (forms.EmailInput(), "a@b.c"), (forms.URLInput(), "https://x/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "secret"), (forms.HiddenInput(), 7),
    (forms.DateInput(), datetime.date(2026, 12, 7)), (forms.DateTimeInput(), None),
    (forms.TimeInput(), datetime.time(9, 30)), (forms.FileInput(), None),
    (forms.CheckboxInput(), True), (forms.CheckboxInput(), False),
    (forms.Textarea(), None), (forms.Textarea(), ""), (forms.Textarea(), "line\n<two> & 'three'"),
    (forms.Select(choices=CHOICES), "1"), (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES), "g2"), (forms.SelectMultiple(choices=CHOICES), ["1", "g1"]),
    (forms.NullBooleanSelect(), True), (forms.Select(choices=[]), ""),
]


def test_every_written_widget_matches_django() -> None:
    for widget, value in WIDGET_CASES:
        for attrs in (None, ATTRS):
            ours, theirs = both(widget, value, attrs)
            assert ours == theirs, (type(widget).__name__, value, attrs)


def test_the_writers_cover_the_templates_they_claim() -> None:
    # Each input template is Django's include of input.html, so writing input.html for it is right.
    for name in INPUTS:
        source = Path(DJANGO.get_template(f"{WIDGETS}{name}.html").template.origin.name).read_text()
        assert name == "input" or source.strip() == '{% include "django/forms/widgets/input.html" %}'
    assert {f"{WIDGETS}{name}.html" for name in INPUTS} <= set(WRITERS)


def test_other_widgets_still_render_through_django() -> None:
    radio = forms.RadioSelect(choices=CHOICES[:3])
    ours, theirs = both(radio, "1")
    assert ours == theirs and 'type="radio"' in ours


class _OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


def test_a_select_with_another_option_template_falls_back() -> None:
    ours, theirs = both(_OwnOption(choices=CHOICES[:3]), "1")
    assert ours == theirs and "<label><input" in ours


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.none(), st.text(), st.integers()),
       label=st.text(), attr=st.one_of(st.booleans(), st.none(), st.text(), st.integers()))
def test_any_text_is_written_as_django_writes_it(value: object, label: str, attr: object) -> None:
    attrs = {"data-x": attr}
    for widget in (forms.TextInput(), forms.Textarea(),
                   forms.Select(choices=[("a", label), (str(value), label)])):
        ours, theirs = both(widget, value, attrs)
        assert ours == theirs
