"""Atom feed of the meetings' public reports: /feeds/meetings/."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from meetings.selectors import meetings_for_feed
from untfsse.core.markdown import render_markdown


class MeetingReportsFeed(Feed):
    feed_type = Atom1Feed
    title = _("UNTFSSE meeting reports")
    subtitle = _("Reports of the meetings of the UN Inter-Agency Task Force on SSE.")
    link = reverse_lazy("meetings:list")

    def items(self):
        return meetings_for_feed()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Sanitised HTML (nh3), shortened: the page has the whole report.
        return Truncator(render_markdown(item.summary)).words(120, html=True)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"meeting-{item.pk}@untfsse-portal"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        day = item.summary_published_on or item.last_day
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)

    def item_updateddate(self, item):
        return item.updated_at
