from django.urls import path

from gongkai.core.pagecache import cached_public

from . import feeds, sitemaps, views
from .views import applications, evaluation, guide_forms
from .views import complaints as complaint_views
from .views import consultations as consultation_views
from .views import keyareas as keyarea_views
from .views import questions as question_views
from .views import reports as report_views
from .views import statistics as statistics_views

app_name = "portal"
public = cached_public  # feeds and sitemaps: ETag, 304, server-side copy (core/pagecache.py)

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_directory, name="agencies"),
    path("agencies/<str:code>/", views.agency, name="agency"),
    path("agencies/<str:code>/guide/", views.guide, name="guide"),
    path(
        "agencies/<str:code>/guide/application-form-<str:variant>.<str:fmt>",
        guide_forms.guide_application_form,
        name="guide_application_form",
    ),
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
    # Draft decisions for comment (意见征集) and questions answered in public (政民互动): lists and
    # answers are cacheable (no one named); the forms are never cached (the views say so).
    path("consultations/", consultation_views.consultation_list, name="consultations"),
    path("consultations/<int:pk>/", consultation_views.consultation_detail, name="consultation"),
    path(
        "consultations/<int:pk>/comment/",
        consultation_views.consultation_comment,
        name="consultation_comment",
    ),
    path(
        "consultations/comment/done/",
        consultation_views.consultation_comment_done,
        name="consultation_comment_done",
    ),
    path(
        "consultations/hearings/<int:pk>/register/",
        consultation_views.hearing_register,
        name="hearing_register",
    ),
    path("questions/", question_views.question_list, name="questions"),
    path("questions/ask/", question_views.question_ask, name="question_ask"),
    path("questions/done/", question_views.question_done, name="question_done"),
    path("questions/<str:tracking_no>/", question_views.question_detail, name="question"),
    path("interviews/", question_views.interview_list, name="interviews"),
    path("interviews/<int:pk>/", question_views.interview_detail, name="interview"),
    path("interviews/<int:pk>/ask/", question_views.interview_ask, name="interview_ask"),
    path("proposals/", question_views.proposal_list, name="proposals"),
    path("proposals/new/", question_views.proposal_new, name="proposal_new"),
    # Published annual reports (年度报告): frozen once published, so cacheable (the views say so).
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<str:code>/<int:year>/", report_views.report, name="report"),
    path(
        "reports/<str:code>/<int:year>/report.<str:fmt>", report_views.report_download, name="report_download"
    ),
    # Statistics (统计): counts and rates only, cacheable like the catalogue.
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("statistics/data.<str:fmt>", statistics_views.statistics_data, name="statistics_data"),
    # Key areas (重点领域): catalogues and records, cacheable like the catalogue.
    path("keyareas/", keyarea_views.keyarea_list, name="keyarea_list"),
    path("keyareas/projects/<int:pk>/", keyarea_views.keyarea_project, name="keyarea_project"),
    path("keyareas/<slug:code>/", keyarea_views.keyarea_area, name="keyarea_area"),
    path(
        "keyareas/<slug:code>/agencies/<str:agency_code>/",
        keyarea_views.keyarea_agency_column,
        name="keyarea_agency_column",
    ),
    # 社会评议: never cached (the views say so)
    path("evaluation/reply/<int:pk>/", evaluation.reply_rate, name="evaluation_reply"),
    path("evaluation/page/", evaluation.page_rate, name="evaluation_page"),
    path("feed/rss/", public(feeds.LatestDocumentsFeed()), name="feed_rss"),
    path("feed/atom/", public(feeds.LatestDocumentsAtomFeed()), name="feed_atom"),
    # A sitemap index: one sitemap file may list at most 50,000 URLs (files by id range).
    path("sitemap.xml", public(sitemaps.sitemap_index), name="sitemap"),
    path("sitemap-<section>.xml", public(sitemaps.sitemap_section), name="sitemap_section"),
]
