"""Attendance recorded for a whole invitation list at once (the admin's attendance screen)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import Attendance, Meeting
from meetings.services.participation import attendance_record
from members.actors import require_secretariat
from members.models import Person
from untfsse.core.audit import audit_record


@dataclass(frozen=True)
class AttendanceSheetRow:
    """One line of the screen: a person, their capacity ("" for the one their organisation's
    kind gives) and their status ("" for not recorded)."""

    person: Person
    capacity: str = ""
    status: str = ""


def attendance_record_sheet(
    *, meeting: Meeting, rows: Iterable[AttendanceSheetRow], by, now=None
) -> dict[str, int]:
    """Record the attendance of everyone on the sheet, in one transaction: a line with a status
    is recorded (or corrected) with `attendance_record`; a line without one removes the
    person's row if there was one. Returns how many were recorded and removed.

    Raises PermissionDenied unless `by` is the secretariat; ValidationError when a person is on
    the sheet twice, or as `attendance_record` does (meeting cancelled or not yet started,
    unknown capacity or status); then nothing is recorded.
    """
    require_secretariat(by)
    rows = list(rows)
    person_ids = [row.person.pk for row in rows]
    if len(set(person_ids)) != len(person_ids):
        raise ValidationError(_("A person is on the attendance sheet twice."))
    recorded = removed = 0
    with transaction.atomic():
        for row in rows:
            if row.status:
                attendance_record(
                    meeting=meeting,
                    person=row.person,
                    capacity=row.capacity,
                    status=row.status,
                    by=by,
                    now=now,
                )
                recorded += 1
                continue
            existing = Attendance.objects.filter(meeting=meeting, person=row.person).first()
            if existing is not None:
                audit_record(
                    actor=by,
                    action="attendance.remove",
                    obj=existing,
                    changes={"status": [existing.status, None]},
                )
                existing.delete()
                removed += 1
    return {"recorded": recorded, "removed": removed}
