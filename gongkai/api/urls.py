"""The routes of /api/v1/: the one registration point of the API (docs/api.md, "Adding an
endpoint"). Every route's view carries its operations (``spec.endpoint``), from which the
OpenAPI document is generated; views kept in other apps are wrapped here. Add routes above the
catch-all at the bottom."""

from django.urls import path, re_path

from gongkai.powers import api as power_views

from . import applications, consultations, keyareas, operations, views
from . import questions as question_views
from . import reports as report_views
from .openapi import openapi
from .spec import endpoint

app_name = "api"
urlpatterns = [
    path("openapi.json", openapi, name="openapi"),
    path("documents", views.documents, name="documents"),
    path("documents/<path:index_no>", views.document_detail, name="document"),
    path("agencies", views.agencies, name="agencies"),
    path("agencies/<str:code>", views.agency_detail, name="agency"),
    path("applications", applications.applications, name="applications"),
    path("applications/<str:tracking_no>", applications.application_detail, name="application"),
    path("applications/<str:tracking_no>/status", applications.application_status, name="application_status"),
    path(
        "annual-reports/<str:agency_code>/<int:year>",
        endpoint(operations.ANNUAL_REPORT)(report_views.annual_report),
        name="annual_report",
    ),
    path("powers/<str:agency_code>", endpoint(operations.POWER_LIST)(power_views.power_list), name="powers"),
    path(
        "powers/<str:agency_code>/<str:code>",
        endpoint(operations.POWER_DETAIL)(power_views.power_detail),
        name="power",
    ),
]

# Key areas (重点领域): gongkai/api/keyareas.py.
urlpatterns += [
    path("key-areas", keyareas.key_areas, name="key_areas"),
    path("key-areas/<slug:code>", keyareas.key_area, name="key_area"),
    path("key-area-projects", keyareas.key_area_projects, name="key_area_projects"),
    path("key-area-projects/<int:id>", keyareas.key_area_project, name="key_area_project"),
]

# Draft decisions for comment and questions answered in public: gongkai/api/consultations.py.
urlpatterns += [
    path("consultations", consultations.consultation_list, name="consultations"),
    path("consultations/<int:id>", consultations.consultation_detail, name="consultation"),
    path("consultations/<int:id>/comments", consultations.consultation_comment, name="consultation_comments"),
    path(
        "consultations/<int:id>/hearings/<int:hearing>/registrations",
        consultations.hearing_registration,
        name="hearing_registrations",
    ),
    path("questions", consultations.questions, name="questions"),
    path("questions/<str:tracking_no>", consultations.question_detail, name="question"),
]

# Online interviews and topic proposals: gongkai/api/questions.py.
urlpatterns += [
    path("interviews", question_views.interviews, name="interviews"),
    path("interviews/<int:id>", question_views.interview_detail, name="interview"),
    path("interviews/<int:id>/questions", question_views.interview_question, name="interview_questions"),
    path("proposals", question_views.proposals, name="proposals"),
    path("proposals/<str:tracking_no>", question_views.proposal_detail, name="proposal"),
]

# Keep last: any other path under /api/v1/ answers a JSON 404, whatever the method and DEBUG.
urlpatterns += [re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found")]
