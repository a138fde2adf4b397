"""The form renderer: Django's widget markup, with the plain widgets written in Python.

Django renders each widget from a template, and a select renders one more template (and
its attributes one more again) for every option: a filter with 1,500 people and AI systems
to choose from cost about 290 ms, most of a register page at enterprise size. Inputs,
text areas and selects are written here instead, character for character what Django's
templates give (`core/tests/test_widgets.py` compares them on every widget kind); any
other template, or a select whose options use another template, goes to Django's engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = WIDGETS + "select_option.html"


class _Autoescape:
    """What `render_value_in_context` reads of a template context: a form's defaults."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT: Any = _Autoescape()


def _text(value: Any) -> str:
    """`{{ value }}`: localised and escaped as the template engine does."""
    return render_value_in_context(value, _CONTEXT)


def _as_string(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`."""
    formatted = stringformat(value, "s")
    return _text(mark_safe(formatted) if isinstance(value, SafeData) else formatted)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_as_string(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_as_string(value)}"'
    return (f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
            f'{shown}{_attrs(widget["attrs"])}>')


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return (f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f'{_text(value) if value else ""}</textarea>')


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(f'\n  <option value="{_as_string(option["value"])}"'
                         f'{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


# Each of these Django templates is only `{% include "django/forms/widgets/input.html" %}`.
INPUTS = ("input", "text", "search", "number", "email", "url", "password", "hidden", "date",
          "datetime", "time", "tel", "color", "checkbox", "file")
WRITERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"{WIDGETS}{name}.html": _input for name in INPUTS},
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
}


class WidgetRenderer(DjangoTemplates):
    """FORM_RENDERER: Django's templates renderer, with the writers above in front of it."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = WRITERS.get(template_name)
        html = write(context["widget"]) if write is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return html
