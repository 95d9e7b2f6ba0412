"""Meetings: public fields, agenda, participation counts, public documents and public minutes.

Never the join link, members-only documents, minutes before they are public, invitations,
or the names of participants without a public profile.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meetings.models import MeetingKind, MeetingMode, MeetingStatus, SchedulePrecision
from meetings.selectors import attendance_summary
from untfsse.portal.api.serializers.common import (
    ApiUrlField,
    MarkdownHtmlField,
    MeetingRefSerializer,
    OrganisationRefSerializer,
    PageUrlField,
    absolute,
)

NULLABLE_DATETIME = {"type": "string", "format": "date-time", "nullable": True}
NULLABLE_DATE = {"type": "string", "format": "date", "nullable": True}


class ScheduleSerializer(serializers.Serializer):
    """When the meeting is, as much as the records know: exact times, whole days, or a month."""

    precision = serializers.ChoiceField(
        source="schedule_precision",
        choices=SchedulePrecision.choices,
        read_only=True,
        help_text="time: start and end are exact; day: only the dates are known; month: only "
        "the month is known.",
    )
    time_zone = serializers.CharField(
        read_only=True, help_text="The meeting's own IANA time zone, e.g. Europe/Zurich."
    )
    start = serializers.SerializerMethodField(
        help_text="Start in the meeting's local time with its UTC offset (ISO 8601); null "
        "unless the precision is time."
    )
    end = serializers.SerializerMethodField(
        help_text="End in the meeting's local time with its UTC offset; null unless the "
        "precision is time."
    )
    first_day = serializers.SerializerMethodField(
        help_text="The meeting's first local day (ISO date); null when only the month is known."
    )
    last_day = serializers.SerializerMethodField(
        help_text="The meeting's last local day (ISO date); null when only the month is known."
    )
    month = serializers.SerializerMethodField(
        help_text="The local month of the meeting's first day, YYYY-MM."
    )

    @extend_schema_field(NULLABLE_DATETIME)
    def get_start(self, meeting) -> str | None:
        return meeting.local_start.isoformat() if meeting.has_times else None

    @extend_schema_field(NULLABLE_DATETIME)
    def get_end(self, meeting) -> str | None:
        return meeting.local_end.isoformat() if meeting.has_times else None

    @extend_schema_field(NULLABLE_DATE)
    def get_first_day(self, meeting) -> str | None:
        if meeting.schedule_precision == SchedulePrecision.MONTH:
            return None
        return meeting.first_day.isoformat()

    @extend_schema_field(NULLABLE_DATE)
    def get_last_day(self, meeting) -> str | None:
        if meeting.schedule_precision == SchedulePrecision.MONTH:
            return None
        return meeting.last_day.isoformat()

    def get_month(self, meeting) -> str:
        return meeting.first_day.strftime("%Y-%m")


class ParticipationSerializer(serializers.Serializer):
    """The counts the meeting page shows, derived from its attendance records (present only)."""

    participants = serializers.IntegerField(
        read_only=True,
        help_text="Participants recorded as present; an organisation whose representatives are "
        "not named counts once.",
    )
    named_participants = serializers.IntegerField(
        read_only=True, help_text="Of those, the participants recorded by name."
    )
    member_organisations = serializers.IntegerField(
        source="member_orgs", read_only=True, help_text="Member organisations present."
    )
    observer_organisations = serializers.IntegerField(
        source="observer_orgs", read_only=True, help_text="Observer organisations present."
    )
    is_minimum = serializers.BooleanField(
        read_only=True,
        help_text="True when the records name only some participants: the counts are then "
        "minimums (the page says “at least”); totals reported in the summary stay there.",
    )


class AttendingOrganisationSerializer(serializers.Serializer):
    group = serializers.ChoiceField(
        choices=[("members", "members"), ("observers", "observers"), ("others", "others")],
        read_only=True,
        help_text="members, observers, or others (resource persons and guests).",
    )
    organisation = OrganisationRefSerializer(
        read_only=True, allow_null=True, help_text="The organisation; null for people without one."
    )
    participants = serializers.IntegerField(
        read_only=True,
        help_text="Its participants present (an unnamed representation counts once).",
    )
    people = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The names of those participants who have a public profile.",
    )


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The agenda item's stable id.")
    order = serializers.IntegerField(read_only=True, help_text="Its place in the agenda.")
    title = serializers.CharField(read_only=True, help_text="The agenda item's title.")
    presenter = serializers.SerializerMethodField(
        help_text="The presenter's name when they have a public profile; null otherwise."
    )
    presenter_organisation = serializers.SerializerMethodField(
        help_text="The presenting organisation (or the presenter's), if any."
    )
    notes = serializers.CharField(read_only=True, help_text="Public notes, as written (Markdown).")
    notes_html = MarkdownHtmlField(
        "notes", help_text="The notes as sanitised HTML, as the meeting page shows them."
    )

    def get_presenter(self, item) -> str | None:
        presenter = item.presenter
        return presenter.name if presenter is not None and presenter.public_profile else None

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_presenter_organisation(self, item):
        organisation = item.presenter_organisation
        if organisation is None and item.presenter is not None:
            organisation = item.presenter.organisation
        if organisation is None:
            return None
        return OrganisationRefSerializer(organisation, context=self.context).data


@extend_schema_field(OpenApiTypes.URI)
class DocumentUrlField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, document):
        if document.link:
            return document.link
        path = reverse(
            "meetings:document", kwargs={"slug": document.meeting.slug, "pk": document.pk}
        )
        return absolute(self.context, path)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The document's stable id.")
    title = serializers.CharField(read_only=True, help_text="The document's title.")
    is_link = serializers.SerializerMethodField(
        help_text="True for a link to a document elsewhere, false for a file kept by the portal."
    )
    content_type = serializers.CharField(
        read_only=True, help_text="The file's media type, e.g. application/pdf; empty for a link."
    )
    url = DocumentUrlField(
        help_text="Where to get it: the portal's download address for a file, the link itself "
        "otherwise."
    )

    def get_is_link(self, document) -> bool:
        return bool(document.link)


class PublicMinutesSerializer(serializers.Serializer):
    """Minutes the secretariat has made public (never drafts, circulated or approved ones)."""

    body = serializers.CharField(read_only=True, help_text="The minutes as written (Markdown).")
    body_html = MarkdownHtmlField(
        "body", help_text="The minutes as sanitised HTML, as the meeting page shows them."
    )
    approved_at_meeting = MeetingRefSerializer(
        read_only=True, allow_null=True, help_text="The later meeting that approved them."
    )
    published_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When they were made public (UTC)."
    )


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The meeting's stable id.")
    slug = serializers.CharField(
        read_only=True, help_text="The meeting's address: its page is /meetings/<slug>/."
    )
    title = serializers.CharField(read_only=True, help_text="The meeting's title.")
    kind = serializers.ChoiceField(
        choices=MeetingKind.choices, read_only=True, help_text="What kind of meeting it is."
    )
    number = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Its number among meetings of its kind (regular meetings, symposia); or null.",
    )
    status = serializers.ChoiceField(
        choices=MeetingStatus.choices, read_only=True, help_text="planned, held or cancelled."
    )
    schedule = ScheduleSerializer(source="*", read_only=True, help_text="When it takes place.")
    mode = serializers.ChoiceField(
        choices=[*MeetingMode.choices, ("", "not recorded")],
        read_only=True,
        help_text="virtual, in_person or hybrid; empty when the records do not say.",
    )
    venue = serializers.CharField(read_only=True, help_text="The venue; may be empty.")
    city = serializers.CharField(read_only=True, help_text="The city; may be empty.")
    country = serializers.SerializerMethodField(
        help_text="The country as an ISO 3166-1 alpha-2 code; empty if not recorded."
    )
    organiser = OrganisationRefSerializer(
        read_only=True, allow_null=True, help_text="The organising organisation, if recorded."
    )
    summary_published_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The date of the public report, if any."
    )
    participation = serializers.SerializerMethodField(
        help_text="Participant and organisation counts derived from attendance."
    )
    reported_participants = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The number of participants a report gives when the attendance record is "
        "incomplete (“about 30 participants”: 30), which the page's headline shows beside the "
        "counts derived from attendance; null when none is recorded.",
    )
    url = PageUrlField(help_text="The absolute address of the meeting's public page.")
    api_url = ApiUrlField("meeting-detail")

    def get_country(self, meeting) -> str:
        return meeting.country.code or ""

    @extend_schema_field(ParticipationSerializer)
    def get_participation(self, meeting):
        return ParticipationSerializer(self._summary(meeting)).data

    def _summary(self, meeting):
        # The detail serializer reads the summary twice: work it out once per meeting.
        if getattr(meeting, "_api_summary", None) is None:
            meeting._api_summary = attendance_summary(meeting)
        return meeting._api_summary


class MeetingDetailSerializer(MeetingSerializer):
    summary = serializers.CharField(
        read_only=True, help_text="The public, news-style report as written (Markdown)."
    )
    summary_html = MarkdownHtmlField(
        "summary", help_text="The report as sanitised HTML, as the meeting page shows it."
    )
    agenda = AgendaItemSerializer(
        source="agenda_items.all", many=True, read_only=True, help_text="The agenda, in order."
    )
    attending_organisations = serializers.SerializerMethodField(
        help_text="Who took part, by organisation, as the meeting page lists them."
    )
    documents = DocumentSerializer(
        source="documents.all",
        many=True,
        read_only=True,
        help_text="The meeting's public documents (members-only ones are never listed).",
    )
    minutes = serializers.SerializerMethodField(
        help_text="The minutes once they are public; null before that."
    )

    @extend_schema_field(AttendingOrganisationSerializer(many=True))
    def get_attending_organisations(self, meeting):
        summary = self._summary(meeting)
        rows = []
        for group_name, groups in (
            ("members", summary.members),
            ("observers", summary.observers),
            ("others", summary.others),
        ):
            for group in groups:
                rows.append(
                    {
                        "group": group_name,
                        "organisation": group.organisation,
                        "participants": len(group.people) + (1 if group.unnamed else 0),
                        "people": [p.name for p in group.people if p.public_profile],
                    }
                )
        return AttendingOrganisationSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(PublicMinutesSerializer(allow_null=True))
    def get_minutes(self, meeting):
        minutes = self.context["public_minutes"]
        if minutes is None:
            return None
        return PublicMinutesSerializer(minutes, context=self.context).data
