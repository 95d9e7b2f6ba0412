"""A meeting's start and end typed in the meeting's own time zone on its admin page.

The secretariat types the wall-clock time of the meeting ("14:00 in Geneva"), never UTC: the
form reads it in the meeting's time zone (`time_zone`, typed on the same form), and refuses,
with a message, a time the clocks skip or show twice at a daylight-saving change. Beside the
fields the page shows what is stored: the UTC instant and the editor's own local time.
"""

import datetime
import zoneinfo

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils.formats import date_format, time_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, SchedulePrecision
from meetings.timing import local_instant

UTC = zoneinfo.ZoneInfo("UTC")


class LocalSplitDateTimeField(forms.SplitDateTimeField):
    """A date and a time as typed, without a time zone (a naive datetime): the form reads it
    in the meeting's zone. Django's own field would read it in the server's (UTC)."""

    def compress(self, data_list):
        if not data_list:
            return None
        day, moment = data_list
        if day in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if moment in self.empty_values:
            raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return datetime.datetime.combine(day, moment)


def _moment(instant: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{date_format(local.date(), 'DATE_FORMAT')} {time_format(local.time(), 'H:i')}"


class MeetingLocalTimesForm(forms.ModelForm):
    """The timing part of the meeting's admin form. `editor_zone` is set per request by the
    admin (the editor's own time zone) for the times shown beside the fields."""

    start = LocalSplitDateTimeField(label=_("start"), widget=AdminSplitDateTime)
    end = LocalSplitDateTimeField(label=_("end"), widget=AdminSplitDateTime)
    editor_zone: zoneinfo.ZoneInfo = UTC

    class Meta:
        model = Meeting
        fields = ["start", "end", "time_zone", "schedule_precision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].label = capfirst(Meeting._meta.get_field(name).verbose_name)
        meeting = self.instance
        if meeting.pk is not None and meeting.start and meeting.end:
            # What was stored, as the meeting's own wall clock showed it: saving the form
            # unchanged stores the same instants.
            self.initial["start"] = meeting.local_start.replace(tzinfo=None)
            self.initial["end"] = meeting.local_end.replace(tzinfo=None)
            for name in ("start", "end"):
                self.fields[name].help_text = self._stored_help(getattr(meeting, name))
        else:
            for name in ("start", "end"):
                self.fields[name].help_text = gettext(
                    "In the meeting's time zone (the field above)."
                )

    def _stored_help(self, instant: datetime.datetime) -> str:
        text = gettext("In the meeting's time zone (%(zone)s). Stored: %(utc)s UTC") % {
            "zone": self.instance.time_zone,
            "utc": _moment(instant, UTC),
        }
        if self.editor_zone.key not in ("UTC", self.instance.time_zone):
            text += "; " + gettext("%(local)s your time (%(zone)s)") % {
                "local": _moment(instant, self.editor_zone),
                "zone": self.editor_zone.key,
            }
        return text + "."

    def clean(self):
        cleaned = super().clean()
        time_zone = cleaned.get("time_zone")
        if time_zone not in zoneinfo.available_timezones():
            # The zone's own error is shown; read the times in UTC meanwhile so that nothing
            # else complains about them.
            time_zone = "UTC"
        for name in ("start", "end"):
            local = cleaned.get(name)
            if local is None:
                continue
            try:
                cleaned[name] = local_instant(local, time_zone)
            except ValidationError as error:
                self.add_error(name, error)
                cleaned.pop(name, None)
        self._check_precision(cleaned, time_zone)
        return cleaned

    def _check_precision(self, cleaned: dict, time_zone: str) -> None:
        """Dates-only and month-only meetings are stored as whole local days (see
        SchedulePrecision): 00:00 of the first day to 00:00 of the day after the last."""
        precision = cleaned.get("schedule_precision")
        if precision not in (SchedulePrecision.DAY, SchedulePrecision.MONTH):
            return
        zone = zoneinfo.ZoneInfo(time_zone)
        for name in ("start", "end"):
            instant = cleaned.get(name)
            if instant is None:
                continue
            local = instant.astimezone(zone)
            if local.time() != datetime.time.min:
                self.add_error(
                    name,
                    gettext(
                        "A meeting with dates only starts at 00:00 of its first day and ends "
                        "at 00:00 of the day after its last."
                    ),
                )
            elif precision == SchedulePrecision.MONTH and local.day != 1:
                self.add_error(
                    name,
                    gettext(
                        "A meeting known by its month only runs from the 1st of the month, "
                        "00:00, to the 1st of the next month, 00:00."
                    ),
                )
