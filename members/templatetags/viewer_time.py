"""Times as the person reading the page lives them: {% load viewer_time %}.

`{% viewer_time value %}` shows an aware date-time in the viewer's time zone (their
preference, UTC for everyone else) and names the zone, so nobody mistakes UTC for local time:
"December 7, 2026, 22:17 (Europe/Zurich)". `{% viewer_date value %}` gives the day only, the
viewer's day. Only for personal pages: a page kept in the shared cache is the same for all.
"""

import datetime

from django import template
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from members.standing import standing_of, time_zone_of

register = template.Library()


def _local(context, value: datetime.datetime) -> datetime.datetime:
    request = context.get("request")
    user = getattr(request, "user", None)
    zone = time_zone_of(standing_of(user)) if user is not None else datetime.UTC
    return value.astimezone(zone)


@register.simple_tag(takes_context=True)
def viewer_time(context, value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = _local(context, value)
    return _("%(date)s, %(time)s (%(zone)s)") % {
        "date": date_format(local.date(), "DATE_FORMAT"),
        "time": time_format(local.time(), "H:i"),
        "zone": str(local.tzinfo),
    }


@register.simple_tag(takes_context=True)
def viewer_date(context, value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return date_format(_local(context, value).date(), "DATE_FORMAT")
