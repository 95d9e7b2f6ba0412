from django.contrib.sitemaps import Sitemap

from meetings.selectors import meetings_for_sitemap


class MeetingSitemap(Sitemap):
    """The meetings list and every meeting page, in each interface language."""

    changefreq = "weekly"
    i18n = True
    x_default = True

    def items(self):
        return meetings_for_sitemap()

    def lastmod(self, meeting):
        return meeting.updated_at


class MeetingPagesSitemap(Sitemap):
    """The meetings list and the subscribable calendar's page."""

    changefreq = "weekly"
    i18n = True
    x_default = True

    def items(self):
        return ["meetings:list"]

    def location(self, item):
        from django.urls import reverse

        return reverse(item)
