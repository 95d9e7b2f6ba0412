"""Meetings, as the public pages show them to an anonymous visitor."""

from django.db.models import Prefetch
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from meetings.models import Attendance, Meeting
from meetings.selectors import meeting_for_page, visible_minutes
from members.standing import ANONYMOUS
from untfsse.core.cache import ContentArea
from untfsse.portal.api.filters import ApiMeetingFilter
from untfsse.portal.api.serializers.meetings import MeetingDetailSerializer, MeetingSerializer
from untfsse.portal.api.views.base import PublicApiView, PublicListView


@extend_schema(
    summary="Meetings",
    description="Every meeting with the meetings page's filters (/meetings/), latest start "
    "first; `when=upcoming` gives the next ones, soonest first. Participation counts are "
    "derived from attendance, as on the meeting pages.",
    parameters=[
        OpenApiParameter(
            "year",
            OpenApiTypes.INT,
            description="The year of the meeting's first local day; a year without meetings "
            "is refused (400).",
        ),
        OpenApiParameter(
            "organisation",
            OpenApiTypes.STR,
            description="Meetings a member or observer organisation (its slug) attended or "
            "organised.",
        ),
    ],
)
class MeetingListView(PublicListView):
    cache_areas = (ContentArea.MEETINGS, ContentArea.MEMBERS)
    serializer_class = MeetingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiMeetingFilter

    def get_queryset(self):
        present = Attendance.objects.present().select_related("person", "organisation")
        return (
            Meeting.objects.select_related("organiser")
            .prefetch_related(Prefetch("attendances", queryset=present))
            .order_by("-start", "-pk")
        )


@extend_schema(
    summary="A meeting",
    parameters=[
        OpenApiParameter(
            "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The meeting's id."
        )
    ],
    description="The meeting as its page shows it to everyone: summary, agenda, who took "
    "part (people by name only with a public profile), public documents, and the minutes once "
    "public. Never the join link, members-only documents or minutes before they are public.",
)
class MeetingDetailView(PublicApiView):
    cache_areas = (ContentArea.MEETINGS, ContentArea.MEMBERS)
    serializer_class = MeetingDetailSerializer

    def answer(self, request, pk: int):
        slug = Meeting.objects.filter(pk=pk).values_list("slug", flat=True).first()
        if slug is None:
            raise Http404("No meeting has this id.")
        # The anonymous visitor's standing, whoever asks: the API shows public records only.
        meeting = meeting_for_page(slug, ANONYMOUS)
        self.public_minutes = visible_minutes(meeting, ANONYMOUS)
        return self.respond(meeting)

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "public_minutes": getattr(self, "public_minutes", None),
        }
