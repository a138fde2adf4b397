from dataclasses import dataclass

from django import forms

from aims.core.views import list_filters


@dataclass(frozen=True)
class Filters:
    q: str = ""
    year: int | None = None
    in_scope: bool | None = None


class FilterForm(forms.Form):
    q = forms.CharField(required=False)
    year = forms.IntegerField(required=False)
    in_scope = forms.NullBooleanField(required=False)


def test_an_empty_or_invalid_filter_form_asks_for_the_defaults():
    assert list_filters(FilterForm({}), Filters) == (Filters(), False)
    assert list_filters(FilterForm({"year": "soon"}), Filters) == (Filters(), False)
    assert list_filters(FilterForm(None), Filters) == (Filters(), False)


def test_any_value_set_filters_the_list_even_a_no():
    assert list_filters(FilterForm({"q": "bias"}), Filters) == (Filters(q="bias"), True)
    assert list_filters(FilterForm({"in_scope": "false"}), Filters) == (
        Filters(in_scope=False), True)
