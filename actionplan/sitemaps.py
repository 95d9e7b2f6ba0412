from django.contrib.sitemaps import Sitemap

from actionplan.selectors import plans_and_items_for_sitemap


class ActionPlanSitemap(Sitemap):
    """Every plan's page and every action item's page, in each interface language."""

    changefreq = "weekly"
    i18n = True
    x_default = True

    def items(self):
        return plans_and_items_for_sitemap()

    def lastmod(self, page):
        return page.updated_at
