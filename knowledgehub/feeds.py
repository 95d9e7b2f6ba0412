"""The Atom feed of new Knowledge Hub resources (/feeds/knowledge-hub/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from knowledgehub.selectors import latest_resources


class LatestResourcesFeed(Feed):
    feed_type = Atom1Feed
    title = _("UNTFSSE Knowledge Hub: new resources")
    subtitle = _("Research, reports and briefs on the social and solidarity economy and the SDGs.")
    link = reverse_lazy("knowledgehub:search")

    def items(self):
        return latest_resources(limit=20)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.abstract

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        names = [author.name for author in item.authors.all()]
        names = names or [organisation.acronym for organisation in item.organisations.all()]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()] + [sdg.label for sdg in item.sdgs.all()]
