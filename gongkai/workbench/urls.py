"""The staff workbench, included at "staff/" beside gongkai.accounts (login/, logout/ and
password/ belong to it). Every pattern here must be listed in tests/test_access.py."""

from django.urls import path

from .views import (
    actions,
    applicant_lookup,
    application_actions,
    application_filing,
    application_items,
    application_reveal,
    applications,
    assessment,
    dashboard,
    documents,
    exports,
    records,
    redactions,
    settlement,
    signoff,
)
from .views import agenda as agenda_views
from .views import casework as casework_views
from .views import complaints as complaint_views
from .views import consultations as consultation_views
from .views import guide as guide_views
from .views import keyareas as keyarea_views
from .views import paperwork as paperwork_views
from .views import powers as power_views
from .views import questions as question_views
from .views import reports as report_views
from .views import statistics as statistics_views

app_name = "workbench"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("agenda/", agenda_views.agenda_view, name="agenda"),
    path("agenda/views/", agenda_views.agenda_view_save, name="agenda_view_save"),
    path("agenda/views/<int:pk>/delete/", agenda_views.agenda_view_delete, name="agenda_view_delete"),
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
    path(
        "records/<int:pk>/findings/<int:finding_pk>/settle-value/",
        settlement.record_findings_settle_value,
        name="findings_settle_value",
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
    # Manual redaction and pictures (issue 17): listed in tests/test_access.py.
    path("records/<int:pk>/redactions/value/", redactions.record_manual_value, name="manual_value"),
    path(
        "records/<int:pk>/redactions/<int:redaction_pk>/remove/",
        redactions.record_manual_remove,
        name="manual_remove",
    ),
    path(
        "records/<int:pk>/attachments/<int:attachment_pk>/areas/",
        redactions.record_manual_area,
        name="manual_area",
    ),
    path(
        "records/<int:pk>/attachments/<int:attachment_pk>/pages/<int:page>.png",
        redactions.record_page_image,
        name="page_image",
    ),
    path(
        "records/<int:pk>/attachments/<int:attachment_pk>/preview/",
        redactions.record_attachment_preview,
        name="attachment_preview",
    ),
    path(
        "records/<int:pk>/images/<int:image_pk>/confirm/",
        redactions.record_image_page_confirm,
        name="image_page_confirm",
    ),
    # Assessment (考核评议): listed in gongkai/assessment/tests/test_workbench.py.
    path("assessment/", assessment.assessment_table, name="assessment"),
    path("assessment/compute/", assessment.assessment_compute, name="assessment_compute"),
    path("exports/reading-points/", exports.reading_point_export, name="reading_point_export"),
    path("documents/<int:pk>/change/", documents.document_change, name="document_change"),
    # Disclosure on application (依申请公开): listed in tests/test_applications_access.py.
    path("applications/", applications.application_list, name="application_list"),
    path("applications/register/", applications.application_register_view, name="application_register"),
    path("applications/assign/", applications.application_bulk_assign, name="application_bulk_assign"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/export.zip", applications.application_export, name="application_export"),
    path(
        "applications/<int:pk>/file/", application_filing.application_file_case, name="application_file_case"
    ),
    path(
        "applications/applicant-lookup/",
        applicant_lookup.application_applicant_lookup,
        name="application_applicant_lookup",
    ),
    path("applications/<int:pk>/reveal/", application_reveal.application_reveal, name="application_reveal"),
    path("applications/<int:pk>/receipt.pdf", applications.application_receipt, name="application_receipt"),
    path("applications/signoff/", signoff.application_signoff_queue, name="application_signoff_queue"),
    path(
        "applications/<int:pk>/extension/propose/",
        signoff.application_extension_propose,
        name="application_extension_propose",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>/sign/",
        signoff.application_letter_sign,
        name="application_letter_sign",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>/edit/",
        signoff.application_letter_edit,
        name="application_letter_edit",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>/void/",
        signoff.application_letter_void,
        name="application_letter_void",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>/reissue/",
        signoff.application_letter_reissue,
        name="application_letter_reissue",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>.pdf",
        applications.application_letter_pdf,
        name="application_letter_pdf",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>.docx",
        applications.application_letter_docx,
        name="application_letter_docx",
    ),
    path(
        "applications/<int:pk>/files/<int:file_pk>/",
        applications.application_file_download,
        name="application_file",
    ),
    path(
        "applications/<int:pk>/confirm/", application_actions.application_confirm, name="application_confirm"
    ),
    path(
        "applications/<int:pk>/correction/",
        application_actions.application_correction,
        name="application_correction",
    ),
    path(
        "applications/<int:pk>/correction/receive/",
        application_actions.application_correction_receive,
        name="application_correction_receive",
    ),
    path(
        "applications/<int:pk>/consult/", application_actions.application_consult, name="application_consult"
    ),
    path(
        "applications/<int:pk>/consultations/<int:consultation_pk>/end/",
        application_actions.application_consult_end,
        name="application_consult_end",
    ),
    path(
        "applications/<int:pk>/consultations/<int:consultation_pk>/delivered/",
        application_actions.application_consult_delivered,
        name="application_consult_delivered",
    ),
    path("applications/<int:pk>/extend/", application_actions.application_extend, name="application_extend"),
    # 分项答复 (issue 18 item 5).
    path("applications/<int:pk>/items/", application_items.application_item_add, name="application_item_add"),
    path(
        "applications/<int:pk>/items/record/",
        application_items.application_item_record,
        name="application_item_record",
    ),
    path(
        "applications/<int:pk>/items/<int:item_pk>/remove/",
        application_items.application_item_remove,
        name="application_item_remove",
    ),
    path(
        "applications/<int:pk>/excessive/",
        application_actions.application_excessive,
        name="application_excessive",
    ),
    path(
        "applications/<int:pk>/later-date/",
        application_actions.application_later_date,
        name="application_later_date",
    ),
    path(
        "applications/<int:pk>/fees/",
        application_actions.application_fee_notice,
        name="application_fee_notice",
    ),
    path(
        "applications/<int:pk>/matters/",
        application_actions.application_matters,
        name="application_matters",
    ),
    path(
        "applications/<int:pk>/fees/<int:fee_pk>/pay/",
        application_actions.application_fee_pay,
        name="application_fee_pay",
    ),
    path(
        "applications/<int:pk>/fees/<int:fee_pk>/waive/",
        application_actions.application_fee_waive,
        name="application_fee_waive",
    ),
    path("applications/<int:pk>/decide/", application_actions.application_decide, name="application_decide"),
    path(
        "applications/<int:pk>/transfer/",
        application_actions.application_transfer,
        name="application_transfer",
    ),
    path(
        "applications/<int:pk>/files/",
        application_actions.application_provided_file,
        name="application_provided_file",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>/deliver/",
        application_actions.application_deliver,
        name="application_deliver",
    ),
    # Paperwork in and out (issue 18 item 3).
    path(
        "applications/<int:pk>/oral-record.pdf",
        paperwork_views.oral_record_pdf,
        name="application_oral_record_pdf",
    ),
    path(
        "applications/<int:pk>/oral-record/",
        paperwork_views.oral_record_attach,
        name="application_oral_record",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>/proof-of-service.pdf",
        paperwork_views.delivery_receipt_pdf,
        name="application_delivery_receipt_pdf",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>/post/",
        paperwork_views.letter_post,
        name="application_letter_post",
    ),
    path(
        "applications/<int:pk>/letters/<int:letter_pk>/email/",
        paperwork_views.letter_email,
        name="application_letter_email",
    ),
    path(
        "applications/<int:pk>/dispatches/<int:dispatch_pk>/signed/",
        paperwork_views.dispatch_signed_for,
        name="application_dispatch_signed",
    ),
    path(
        "applications/<int:pk>/dispatches/<int:dispatch_pk>/scan/",
        paperwork_views.dispatch_scan,
        name="application_dispatch_scan",
    ),
    path(
        "applications/<int:pk>/consultations/<int:consultation_pk>/opinion/",
        paperwork_views.consultation_opinion,
        name="application_consult_opinion",
    ),
    path("applications/<int:pk>/merge/", application_actions.application_merge, name="application_merge"),
    path("applications/<int:pk>/cases/", application_actions.application_case, name="application_case"),
    path(
        "applications/<int:pk>/cases/<int:case_pk>/result/",
        application_actions.application_case_result,
        name="application_case_result",
    ),
    path("applications/<int:pk>/assign/", application_actions.application_assign, name="application_assign"),
    path("applications/<int:pk>/link/", application_actions.application_link, name="application_link"),
    path(
        "applications/<int:pk>/abandon/", application_actions.application_abandon, name="application_abandon"
    ),
]

# Complaints and suggestions (举报投诉、意见建议): listed in tests/test_complaints_access.py.
urlpatterns += [
    path("complaints/", complaint_views.complaint_list, name="complaint_list"),
    path("complaints/<int:pk>/", complaint_views.complaint_detail, name="complaint_detail"),
    path(
        "complaints/<int:pk>/investigate/",
        complaint_views.complaint_investigate,
        name="complaint_investigate",
    ),
    path("complaints/<int:pk>/answer/", complaint_views.complaint_answer, name="complaint_answer"),
    path("complaints/<int:pk>/publish/", complaint_views.complaint_publish, name="complaint_publish"),
]

# The annual report (年度报告): listed in tests/test_reports_access.py.
urlpatterns += [
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/summary/", report_views.report_summary, name="report_summary"),
    path("reports/reviews/", report_views.review_list, name="report_reviews"),
    path("reports/reviews/<int:pk>/", report_views.review_detail, name="report_review"),
    path("reports/reviews/<int:pk>/explain/", report_views.review_explain, name="report_review_explain"),
    path("reports/<str:code>/<int:year>/", report_views.report_detail, name="report_detail"),
    path("reports/<str:code>/<int:year>/start/", report_views.report_start, name="report_start"),
    path("reports/<str:code>/<int:year>/narrative/", report_views.report_narrative, name="report_narrative"),
    path("reports/<str:code>/<int:year>/explain/", report_views.report_explain, name="report_explain"),
    path("reports/<str:code>/<int:year>/figures/", report_views.report_figures, name="report_figures"),
    path("reports/<str:code>/<int:year>/refresh/", report_views.report_refresh, name="report_refresh"),
    path("reports/<str:code>/<int:year>/publish/", report_views.report_publish, name="report_publish"),
    path(
        "reports/<str:code>/<int:year>/report.<str:fmt>", report_views.report_download, name="report_download"
    ),
]

# Power lists (权力清单): listed in tests/test_powers.py.
urlpatterns += [
    path("powers/", power_views.power_list, name="power_list"),
    path("powers/new/", power_views.power_new, name="power_new"),
    path("powers/<int:pk>/", power_views.power_detail, name="power_detail"),
    path("powers/<int:pk>/revise/", power_views.power_revise, name="power_revise"),
    path("powers/<int:pk>/decisions/", power_views.power_decision_count, name="power_decision_count"),
]

# Statistics (统计): listed in tests/test_statistics_pages.py.
urlpatterns += [
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("statistics/data.<str:fmt>", statistics_views.statistics_data, name="statistics_data"),
]

# The disclosure guide's office details (公开指南): listed in tests/test_access.py.
urlpatterns += [
    path("guide/", guide_views.guide, name="guide"),
    path("guide/confirm/", guide_views.guide_confirm, name="guide_confirm"),
]

# Key areas (重点领域) and the notice board (政务公开栏): listed in
# gongkai/keyareas/tests/test_workbench.py (KEYAREA_URLS).
urlpatterns += [
    path("keyareas/", keyarea_views.keyarea_compliance, name="keyarea_compliance"),
    path("keyareas/projects/", keyarea_views.keyarea_project_list, name="keyarea_project_list"),
    path("keyareas/projects/new/", keyarea_views.keyarea_project_new, name="keyarea_project_new"),
    path("keyareas/projects/<int:pk>/", keyarea_views.keyarea_project_detail, name="keyarea_project_detail"),
    path(
        "keyareas/projects/<int:pk>/obligations/<int:opk>/occur/",
        keyarea_views.keyarea_obligation_occur,
        name="keyarea_obligation_occur",
    ),
    path(
        "keyareas/projects/<int:pk>/obligations/<int:opk>/fulfil/",
        keyarea_views.keyarea_obligation_fulfil,
        name="keyarea_obligation_fulfil",
    ),
    path(
        "keyareas/projects/<int:pk>/obligations/<int:opk>/unlink/",
        keyarea_views.keyarea_obligation_unlink,
        name="keyarea_obligation_unlink",
    ),
    path("keyareas/board/<str:code>.pdf", keyarea_views.keyarea_board, name="keyarea_board"),
]

# Draft decisions for comment, hearings and questions answered in public (issue 16).
urlpatterns += [
    # Draft decisions for comment and hearings (issue 16): walked in
    # gongkai/consultations/tests/test_workbench.py.
    path("consultations/", consultation_views.consultation_list, name="consultation_list"),
    path("consultations/new/", consultation_views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", consultation_views.consultation_detail, name="consultation_detail"),
    path(
        "consultations/<int:pk>/period/", consultation_views.consultation_period, name="consultation_period"
    ),
    path(
        "consultations/<int:pk>/cancel/", consultation_views.consultation_cancel, name="consultation_cancel"
    ),
    path(
        "consultations/<int:pk>/comments/<int:comment_pk>/moderate/",
        consultation_views.comment_moderate,
        name="comment_moderate",
    ),
    path("consultations/<int:pk>/groups/", consultation_views.comments_group, name="comments_group"),
    path(
        "consultations/<int:pk>/groups/<int:group_pk>/decide/",
        consultation_views.group_decide,
        name="group_decide",
    ),
    path("consultations/<int:pk>/report/", consultation_views.report_draft, name="report_draft"),
    path("consultations/<int:pk>/link/", consultation_views.consultation_link, name="consultation_link"),
    path("consultations/<int:pk>/hearings/", consultation_views.hearing_announce, name="hearing_announce"),
    path(
        "consultations/<int:pk>/hearings/<int:hearing_pk>/select/",
        consultation_views.hearing_select,
        name="hearing_select",
    ),
    path(
        "consultations/<int:pk>/hearings/<int:hearing_pk>/record/",
        consultation_views.hearing_record,
        name="hearing_record",
    ),
    # Questions answered in public (issue 16): walked in gongkai/questions/tests/test_workbench.py.
    path("questions/", question_views.question_inbox, name="question_inbox"),
    path("questions/<int:pk>/", question_views.question_detail, name="question_detail"),
    path("questions/<int:pk>/answer/", question_views.question_answer, name="question_answer"),
    path("proposals/<int:pk>/", question_views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/respond/", question_views.proposal_respond, name="proposal_respond"),
    path("interviews/new/", question_views.interview_new, name="interview_new"),
    path("interviews/<int:pk>/", question_views.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/transcript/", question_views.interview_transcript, name="interview_transcript"),
]

# Routing a case (交办/协办) and internal notes (issue 18 item 4): walked in
# gongkai/casework/tests/test_pages.py.
urlpatterns += [
    path("casework/", casework_views.casework_tasks, name="casework_tasks"),
    path("casework/divisions/", casework_views.casework_divisions, name="casework_divisions"),
    path("casework/<int:pk>/", casework_views.casework_task, name="casework_task"),
    path("casework/<int:pk>/answer/", casework_views.casework_task_answer, name="casework_task_answer"),
    path("casework/<int:pk>/review/", casework_views.casework_task_review, name="casework_task_review"),
    path("casework/<int:pk>/withdraw/", casework_views.casework_task_withdraw, name="casework_task_withdraw"),
    path(
        "casework/<int:pk>/files/<int:file_pk>/", casework_views.casework_task_file, name="casework_task_file"
    ),
    path("casework/<int:pk>/letter.pdf", casework_views.casework_task_letter, name="casework_task_letter"),
    path(
        "applications/<int:pk>/casework/tasks/",
        casework_views.casework_task_create,
        name="casework_task_create",
    ),
    path("applications/<int:pk>/casework/notes/", casework_views.casework_note_add, name="casework_note_add"),
]
