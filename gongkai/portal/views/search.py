from django.shortcuts import render
from django.urls import reverse

from ..browse import browse
from ..forms import parse_search
from .common import public_page


@public_page
def search(request):
    query, messages, params = parse_search(request.GET)
    view = browse(base=reverse("portal:search"), query=query, params=params)
    view.messages = messages + view.messages
    return render(request, "portal/search.html", {"browse": view, "q": params.get("q", "")})
