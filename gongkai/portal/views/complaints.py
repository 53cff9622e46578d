"""Complaints and suggestions, the public's side: the form, the confirmation with the tracking
number and the query code (shown once), the progress page, and the published answers
(regulation.md, "Remedies and supervision"; security.md).

As for applications, the tracking number and query code travel in the session, never in a URL,
and pages carrying what someone typed are never cached. The published answers are public and
cacheable: they name no one.
"""

import uuid

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts.network import client_ip
from gongkai.applications.selectors import lookup_allowed
from gongkai.complaints import selectors, services
from gongkai.complaints.forms import ComplaintForm, ComplaintProgressForm
from gongkai.complaints.rules import Kind

from ..templatetags.portal import cn_date
from .common import public_page
from .double_submit import first_result

DONE_KEY = "complaint_done"
SENSITIVE = ("name", "contact", "query_code")
ANSWERS_PAGE_SIZE = 20


def _token(raw) -> str | None:
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError:
        return None


def _render_form(request, form, token: str, status: int = 200):
    return render(request, "portal/complaints/new.html", {"form": form, "token": token}, status=status)


@sensitive_post_parameters(*SENSITIVE)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_new(request):
    if request.method != "POST":
        # The session exists before the form is sent, so both requests of a double click share it.
        request.session.setdefault(DONE_KEY, None)
        initial = {"agency": request.GET["agency"].strip()[:32]} if request.GET.get("agency") else {}
        if request.GET.get("kind") in Kind.values:
            initial["kind"] = request.GET["kind"]
        return _render_form(request, ComplaintForm(initial=initial), str(uuid.uuid4()))

    token = _token(request.POST.get("token"))
    done = request.session.get(DONE_KEY)
    if token and done and done.get("token") == token:
        return redirect("portal:complaint_done")  # sent again: show the first result
    form = ComplaintForm(request.POST)
    if token is None:
        form.is_valid()
        form.add_error(None, _("页面已失效，请核对后再次提交。"))
        return _render_form(request, form, str(uuid.uuid4()))
    if not form.is_valid():
        return _render_form(request, form, token)
    try:
        submitted = services.complaint_submit(
            data=form.cleaned_data, client_ip=client_ip(request), idempotency_key=token
        )
    except services.RateLimited as exc:
        form.add_error(None, str(exc))
        return _render_form(request, form, token, status=429)
    except (services.Duplicate, IntegrityError):  # IntegrityError: both clicks reached the database
        if first_result(request, token, DONE_KEY):
            return redirect("portal:complaint_done")
        form.add_error(None, _("该事项已提交，请勿重复提交。"))
        return _render_form(request, form, str(uuid.uuid4()))
    except services.ComplaintError as exc:
        form.add_error(None, str(exc))
        return _render_form(request, form, token)
    complaint = submitted.complaint
    request.session[DONE_KEY] = {
        "token": token,
        "tracking_no": complaint.tracking_no,
        "query_code": submitted.query_code,
        "kind_label": complaint.get_kind_display(),
        "routed_to_name": complaint.routed_to.name,
        "due_on": cn_date(complaint.due_on),
        "shown": False,
    }
    return redirect("portal:complaint_done")


@never_cache
@require_GET
def complaint_done(request):
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("portal:complaint_new")
    show_code = not done.get("shown")
    if show_code:
        request.session[DONE_KEY] = {**done, "shown": True}
    return render(request, "portal/complaints/done.html", {"done": done, "show_code": show_code})


@sensitive_post_parameters(*SENSITIVE)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_progress(request):
    form = ComplaintProgressForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid() and not lookup_allowed(client_ip(request)):
        form.add_error(None, _("查询过于频繁，请十分钟后再试。"))
    elif request.method == "POST" and form.is_valid():
        complaint = services.complaint_find(
            tracking_no=form.cleaned_data["tracking_no"], query_code=form.cleaned_data["query_code"]
        )
        if complaint is None:
            # The same answer for an unknown number and a wrong code: neither is confirmed.
            form.add_error(None, _("编号或查询码不正确，请核对后重新输入。"))
        else:
            found = selectors.complaint_progress(complaint)
            form = ComplaintProgressForm()  # the code is not written back into the page
    return render(request, "portal/complaints/progress.html", {"form": form, "progress": found})


@public_page
def complaint_answers(request):
    """Answers the routed agencies chose to publish, latest first, naming no one."""
    page_obj = Paginator(selectors.public_answers(), ANSWERS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "answers": selectors.as_public(page_obj.object_list)}
    return render(request, "portal/complaints/answers.html", context)
