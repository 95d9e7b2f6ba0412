from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from knowledgehub.selectors import resources_for_sitemap


class KnowledgeHubSitemap(Sitemap):
    """The search page and every published resource, in each interface language."""

    changefreq = "weekly"
    i18n = True
    x_default = True

    def items(self):
        return ["knowledgehub:search", *resources_for_sitemap()]

    def location(self, item) -> str:
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return None if isinstance(item, str) else item.updated_at
