"""RSS and Atom feeds of newly published documents, site-wide and per agency."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .selectors import latest_documents, public_agency_get
from .templatetags.portal import document_url

FEED_ITEMS = 50
DESCRIPTION_CHARS = 200


class LatestDocumentsFeed(Feed):
    """RSS 2.0: the latest public documents of the whole platform."""

    def title(self):
        return _("%(site)s：最新公开信息") % {"site": settings.GONGKAI_SITE_NAME}

    def link(self):
        return reverse("portal:home")

    def description(self):
        return _("主动公开的政府信息，按发布日期排列。")

    def items(self):
        return latest_documents(limit=FEED_ITEMS)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        text = (item.summary or item.body or "").strip()
        return text[:DESCRIPTION_CHARS] + ("…" if len(text) > DESCRIPTION_CHARS else "")

    def item_link(self, item):
        return document_url(item)

    def item_guid(self, item):
        return item.index_no

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.published_on, time.min))

    def item_author_name(self, item):
        return item.agency.name

    def item_categories(self, item):
        return [item.doc_no] if item.doc_no else []


class LatestDocumentsAtomFeed(LatestDocumentsFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


class AgencyDocumentsFeed(LatestDocumentsFeed):
    """RSS 2.0: the latest public documents of one agency."""

    def get_object(self, request, code):
        return public_agency_get(code=code)

    def title(self, obj):
        return _("%(agency)s：最新公开信息") % {"agency": obj.name}

    def link(self, obj):
        return reverse("portal:agency", args=[obj.code])

    def description(self, obj):
        return _("%(agency)s主动公开的政府信息，按发布日期排列。") % {"agency": obj.name}

    def items(self, obj):
        return latest_documents(limit=FEED_ITEMS, agency=obj)


class AgencyDocumentsAtomFeed(AgencyDocumentsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
