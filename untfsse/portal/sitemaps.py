from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    """Pages with a fixed address, in every interface language."""

    changefreq = "weekly"
    i18n = True
    x_default = True

    def items(self) -> list[str]:
        return ["home"]

    def location(self, item: str) -> str:
        return reverse(item)
