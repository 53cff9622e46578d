"""The site's URLs plus two pages behind the staff gate, for the decorator tests."""

from django.http import HttpResponse
from django.urls import path
from django.views import View

from gongkai.accounts.decorators import StaffRequiredMixin, staff_required
from gongkai.urls import urlpatterns as site_urlpatterns


@staff_required
def gated(request):
    return HttpResponse("工作台")


class GatedView(StaffRequiredMixin, View):
    def get(self, request):
        return HttpResponse("工作台")


urlpatterns = [
    path("staff/gated/", gated),
    path("staff/gated-class/", GatedView.as_view()),
    *site_urlpatterns,
]
