"""The staff workbench, included at "staff/" beside gongkai.accounts (login/, logout/ and
password/ belong to it). Every pattern here must be listed in tests/test_access.py."""

from django.urls import path

from .views import actions, dashboard, documents, exports, records

app_name = "workbench"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("records/", dashboard.record_list, name="record_list"),
    path("records/new/", records.record_new, name="record_new"),
    path("records/<int:pk>/", records.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", records.record_edit, name="record_edit"),
    path("records/<int:pk>/submit/", actions.record_submit, name="record_submit"),
    path("records/<int:pk>/decide/", actions.record_decide, name="record_decide"),
    path("records/<int:pk>/cancel/", actions.record_cancel, name="record_cancel"),
    path(
        "records/<int:pk>/findings/<int:finding_pk>/settle/",
        actions.record_finding_settle,
        name="finding_settle",
    ),
    path("records/<int:pk>/attachments/", actions.attachment_upload, name="attachment_upload"),
    path(
        "records/<int:pk>/attachments/<int:attachment_pk>/",
        actions.attachment_download,
        name="attachment_download",
    ),
    path(
        "records/<int:pk>/attachments/<int:attachment_pk>/remove/",
        actions.attachment_remove,
        name="attachment_remove",
    ),
    path("exports/reading-points/", exports.reading_point_export, name="reading_point_export"),
    path("documents/<int:pk>/change/", documents.document_change, name="document_change"),
]
