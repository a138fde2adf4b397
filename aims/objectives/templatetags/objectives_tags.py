"""Template helpers of the objectives pages: the inline trend chart and value formatting."""

from django import template
from django.utils.safestring import mark_safe

from aims.objectives import models
from aims.objectives.charts import trend_svg

register = template.Library()


@register.simple_tag
def objective_chart(objective, measurements, small=False):
    """{% objective_chart objective measurements small=True %}: the trend chart as inline SVG."""
    # trend_svg renders an autoescaping template: every text in it is already escaped.
    return mark_safe(trend_svg(objective=objective, measurements=list(measurements),
                               small=small))


@register.filter
def with_unit(value, unit):
    """{{ value|with_unit:objective.unit }} → "97.5 %"."""
    return models.with_unit(value, unit)
