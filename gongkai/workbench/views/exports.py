"""Export packages for reading points (查阅场所): archives and libraries receive an agency's
proactively disclosed documents of a period as one zip (catalogue CSV/XLSX and the files)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from gongkai.accounts.decorators import staff_required
from gongkai.publishing.export import reading_point_package

from ..forms import ReadingPointExportForm
from .common import page


@require_http_methods(["GET", "HEAD"])
@staff_required
def reading_point_export(request):
    """GET without parameters shows the form; with them, downloads the package. Only agencies
    in the user's scope are offered, and only public documents go into a package."""
    form = ReadingPointExportForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        data, _count = reading_point_package(agency=d["agency"], start=d["start"], end=d["end"])
        name = f"查阅场所报送_{d['agency'].code}_{d['start']:%Y%m%d}-{d['end']:%Y%m%d}.zip"
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    return page(request, "workbench/reading_point_export.html", {"form": form, "current": "exports"})
