"""Template filters shared by every app: {% load portal %}."""

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from untfsse.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def partial_date(value: datetime.date | None, precision: str = "day") -> str:
    """A date shown only as precisely as it is known: "2022", "July 2023" or "11 July 2023"."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")
