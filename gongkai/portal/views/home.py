from django.shortcuts import render

from gongkai.search.services import SearchQuery, search_documents

from ..selectors import directory_entry_points, latest_documents
from .common import public_page

HOME_SUBJECTS = 8


@public_page
def home(request):
    # One index query gives the number of public documents and the subjects in use.
    overview = search_documents(SearchQuery(sort="date", page_size=1))
    return render(
        request,
        "portal/home.html",
        {
            "latest": latest_documents(limit=10),
            "entry_points": directory_entry_points(),
            "document_count": overview.count,
            "subjects": overview.facets.get("subject", [])[:HOME_SUBJECTS],
        },
    )
