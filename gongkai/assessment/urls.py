"""Public evaluation endpoints, included by gongkai/portal/urls.py under "evaluation/" (names
join the portal namespace: portal:evaluation_reply, portal:evaluation_page)."""

from django.urls import path

from . import views

urlpatterns = [
    path("reply/<int:pk>/", views.reply_rate, name="evaluation_reply"),
    path("page/", views.page_rate, name="evaluation_page"),
]
