from django.urls import path

from . import applications, views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("documents", views.documents, name="documents"),
    path("documents/<path:index_no>", views.document_detail, name="document"),
    path("agencies", views.agencies, name="agencies"),
    path("agencies/<str:code>", views.agency_detail, name="agency"),
    path("applications", applications.applications, name="applications"),
    path("applications/<str:tracking_no>", applications.application_detail, name="application"),
]
