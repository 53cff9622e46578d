from django.shortcuts import render

from ..browse import browse
from ..directory import directory_html
from ..forms import parse_search
from ..guide import guide_build
from ..selectors import agency_children, public_agency_get
from .common import public_page


@public_page
def agency_directory(request):
    # The tree is written in Python and kept until an agency changes: 5,000 agencies (directory.py).
    return render(request, "portal/agencies.html", {"tree": directory_html()})


@public_page
def agency(request, code: str):
    agency = public_agency_get(code=code)
    departments, governments = agency_children(agency)
    query, messages, params = parse_search(request.GET, agency_code=agency.code)
    params.pop("agency")  # fixed by the URL
    view = browse(base=request.path, query=query, params=params, fixed=("agency",))
    view.messages = messages + view.messages
    return render(
        request,
        "portal/agency.html",
        {
            "agency": agency,
            "office": getattr(agency, "office", None),
            "ancestors": agency.ancestors(),
            "departments": departments,
            "governments": governments,
            "browse": view,
            "q": params.get("q", ""),
        },
    )


@public_page
def guide(request, code: str):
    agency = public_agency_get(code=code)
    return render(request, "portal/guide.html", {"agency": agency, "guide": guide_build(agency=agency)})
