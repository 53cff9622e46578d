from django.urls import path

from . import views

app_name = "powers"
urlpatterns = [
    path("<str:agency_code>/", views.power_list, name="list"),
    path("<str:agency_code>/<str:code>/", views.power_detail, name="detail"),
]
