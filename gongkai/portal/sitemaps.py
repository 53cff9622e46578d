"""sitemap.xml: every public document and agency page, and the fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Document

from .templatetags.portal import document_url


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 10000

    def items(self):
        return Document.objects.public().only("index_no", "updated_at").order_by("id")

    def location(self, item):
        return document_url(item)

    def lastmod(self, item):
        return item.updated_at


class AgencySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Agency.objects.active().only("code").order_by("id")

    def location(self, item):
        return reverse("portal:agency", args=[item.code])


class GuideSitemap(AgencySitemap):
    def location(self, item):
        return reverse("portal:guide", args=[item.code])


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["portal:home", "portal:agencies", "portal:search"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "agencies": AgencySitemap,
    "guides": GuideSitemap,
    "documents": DocumentSitemap,
}
