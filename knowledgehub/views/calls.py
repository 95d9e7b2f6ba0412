"""The public pages of calls for papers: the list (open calls first) and each call's page,
which stays after the call closes."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from knowledgehub.models import CallForPapers
from knowledgehub.selectors import call_access, call_for_page, calls_for_listing
from untfsse.core.cache import ContentArea, PublicPageCacheMixin, cache_public_page


class CallListView(PublicPageCacheMixin, TemplateView):
    cache_areas = (ContentArea.KNOWLEDGE_HUB,)
    template_name = "knowledgehub/call_list.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        calls = list(calls_for_listing(now))
        return super().get_context_data(
            open_calls=[call for call in calls if call.is_open(now)],
            upcoming_calls=[call for call in calls if call.has_not_opened(now)],
            closed_calls=[call for call in calls if call.has_closed(now)],
            **kwargs,
        )


@require_GET
@cache_public_page(ContentArea.KNOWLEDGE_HUB)
def call_detail(request, slug: str):
    try:
        call = call_for_page(slug)
    except CallForPapers.DoesNotExist as error:
        raise Http404(_("There is no call for papers at this address.")) from error
    now = timezone.now()
    return render(
        request,
        "knowledgehub/call_detail.html",
        {
            "call": call,
            "is_open": call.is_open(now),
            "access": call_access(call, request.user, now),
            "has_closed": call.has_closed(now),
            "themes": list(call.themes.all()),
        },
    )
