from django.urls import path

from gongkai.powers import api as power_views

from . import applications, views
from . import reports as report_views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("documents", views.documents, name="documents"),
    path("documents/<path:index_no>", views.document_detail, name="document"),
    path("agencies", views.agencies, name="agencies"),
    path("agencies/<str:code>", views.agency_detail, name="agency"),
    path("applications", applications.applications, name="applications"),
    path("applications/<str:tracking_no>", applications.application_detail, name="application"),
    path("applications/<str:tracking_no>/status", applications.application_status, name="application_status"),
    path("annual-reports/<str:agency_code>/<int:year>", report_views.annual_report, name="annual_report"),
    path("powers/<str:agency_code>", power_views.power_list, name="powers"),
    path("powers/<str:agency_code>/<str:code>", power_views.power_detail, name="power"),
]
