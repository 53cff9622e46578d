from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_control

from . import feeds, views
from .sitemaps import SITEMAPS
from .views import applications, evaluation
from .views import complaints as complaint_views
from .views import reports as report_views
from .views import statistics as statistics_views
from .views.common import PUBLIC_MAX_AGE

app_name = "portal"
public = cache_control(public=True, max_age=PUBLIC_MAX_AGE)

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_directory, name="agencies"),
    path("agencies/<str:code>/", views.agency, name="agency"),
    path("agencies/<str:code>/guide/", views.guide, name="guide"),
    path("agencies/<str:code>/feed/rss/", public(feeds.AgencyDocumentsFeed()), name="agency_feed_rss"),
    path("agencies/<str:code>/feed/atom/", public(feeds.AgencyDocumentsAtomFeed()), name="agency_feed_atom"),
    path("search/", views.search, name="search"),
    path("documents/<path:index_no>/", views.document, name="document"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    # Disclosure on application: personal data, so never cached (the views say so).
    path("apply/", applications.apply, name="apply"),
    path("apply/done/", applications.apply_done, name="apply_done"),
    path("apply/receipt.pdf", applications.apply_receipt, name="apply_receipt"),
    path("progress/", applications.progress, name="progress"),
    path("progress/letter/<int:pk>.pdf", applications.progress_letter, name="progress_letter"),
    path("progress/<int:pk>/correct/", applications.progress_correct, name="progress_correct"),
    # Complaints and suggestions (举报投诉、意见建议): personal data, never cached, but for the
    # published answers, which name no one (the views say so).
    path("complaints/new/", complaint_views.complaint_new, name="complaint_new"),
    path("complaints/done/", complaint_views.complaint_done, name="complaint_done"),
    path("complaints/progress/", complaint_views.complaint_progress, name="complaint_progress"),
    path("complaints/answers/", complaint_views.complaint_answers, name="complaint_answers"),
    # Published annual reports (年度报告): frozen once published, so cacheable (the views say so).
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<str:code>/<int:year>/", report_views.report, name="report"),
    path(
        "reports/<str:code>/<int:year>/report.<str:fmt>", report_views.report_download, name="report_download"
    ),
    # Statistics (统计): counts and rates only, cacheable like the catalogue.
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("statistics/data.<str:fmt>", statistics_views.statistics_data, name="statistics_data"),
    # 社会评议: never cached (the views say so)
    path("evaluation/reply/<int:pk>/", evaluation.reply_rate, name="evaluation_reply"),
    path("evaluation/page/", evaluation.page_rate, name="evaluation_page"),
    path("feed/rss/", public(feeds.LatestDocumentsFeed()), name="feed_rss"),
    path("feed/atom/", public(feeds.LatestDocumentsAtomFeed()), name="feed_atom"),
    # A sitemap index: one sitemap may list at most 50,000 URLs and catalogues grow past that.
    path(
        "sitemap.xml",
        public(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
