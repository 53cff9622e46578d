"""Draft decisions for comment (重大决策预公开), the public's side: the searchable list, the page of
one draft with its explanation, period, shown comments, hearings, adoption report and links; the
comment form and the hearing registration form.

The list and the draft's page are public and cacheable (they name no one). The forms carry a
per-render token: a double click shows the first result instead of a second comment
(double_submit.py), and their pages are never cached."""

import uuid

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts.network import client_ip
from gongkai.consultations import hearings, selectors, services
from gongkai.consultations.forms import CommentForm, RegistrationForm
from gongkai.consultations.models import Hearing
from gongkai.consultations.rules import HearingState, Phase

from .common import public_page
from .double_submit import first_result

DONE_KEY = "comment_done"
REGISTERED_KEY = "hearing_registered"
PAGE_SIZE = 20
STATUSES = {"open": _("征求意见中"), "closed": _("意见整理中"), "concluded": _("已公布采纳情况")}


def _token(raw) -> str | None:
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError:
        return None


@public_page
def consultation_list(request):
    """Drafts for comment, newest first; searchable by words, agency and status."""
    q = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    qs = selectors.public_consultations(q=q, agency_code=request.GET.get("agency", "")[:32], status=status)
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "rows": selectors.decorate(page_obj.object_list),
        "q": q,
        "status": status,
        "statuses": STATUSES.items(),
    }
    return render(request, "portal/consultations/list.html", context)


@public_page
def consultation_detail(request, pk: int):
    c = selectors.public_consultation(pk)
    context = {
        "c": c,
        "comments": selectors.shown_comments(c),
        "groups": selectors.public_groups(c),
        "hearings": selectors.public_hearings(c),
        "is_open": c.phase == Phase.OPEN,
    }
    return render(request, "portal/consultations/detail.html", context)


def _render_form(request, c, form, token: str, status: int = 200):
    context = {"c": c, "form": form, "token": token}
    return render(request, "portal/consultations/comment.html", context, status=status)


@sensitive_post_parameters("name", "contact")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_comment(request, pk: int):
    c = selectors.public_consultation(pk)
    if c.phase != Phase.OPEN:
        return render(request, "portal/consultations/closed.html", {"c": c}, status=410)
    if request.method != "POST":
        request.session.setdefault(DONE_KEY, None)  # both requests of a double click share it
        return _render_form(request, c, CommentForm(identity_rule=c.identity_rule), str(uuid.uuid4()))
    token = _token(request.POST.get("token"))
    done = request.session.get(DONE_KEY)
    if token and done and done.get("token") == token:
        return redirect("portal:consultation_comment_done")
    form = CommentForm(request.POST, identity_rule=c.identity_rule)
    if token is None:
        form.is_valid()
        form.add_error(None, _("页面已失效，请核对后再次提交。"))
        return _render_form(request, c, form, str(uuid.uuid4()))
    if not form.is_valid():
        return _render_form(request, c, form, token)
    data = form.cleaned_data
    try:
        comment = services.comment_submit(
            consultation=c, body=data["body"], name=data["name"], contact=data["contact"],
            client_ip=client_ip(request), idempotency_key=token,
        )  # fmt: skip
    except services.RateLimited as exc:
        form.add_error(None, str(exc))
        return _render_form(request, c, form, token, status=429)
    except (services.Duplicate, IntegrityError):  # IntegrityError: both clicks reached the database
        if first_result(request, token, DONE_KEY):
            return redirect("portal:consultation_comment_done")
        form.add_error(None, _("该意见已提交，请勿重复提交。"))
        return _render_form(request, c, form, str(uuid.uuid4()))
    except services.ConsultationError as exc:
        form.add_error(None, str(exc))
        return _render_form(request, c, form, token)
    request.session[DONE_KEY] = {
        "token": token, "tracking_no": comment.tracking_no, "consultation": c.pk, "title": c.draft.title,
    }  # fmt: skip
    return redirect("portal:consultation_comment_done")


@never_cache
@require_GET
def consultation_comment_done(request):
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("portal:consultations")
    return render(request, "portal/consultations/comment_done.html", {"done": done})


@sensitive_post_parameters("name", "contact", "position")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def hearing_register(request, pk: int):
    hearing = get_object_or_404(Hearing.objects.select_related("consultation__draft"), pk=pk)
    c = selectors.public_consultation(hearing.consultation_id)  # 404 unless the draft is public
    if hearing.state != HearingState.ANNOUNCED:
        raise Http404
    token = _token(request.POST.get("token")) if request.method == "POST" else str(uuid.uuid4())
    form = RegistrationForm(request.POST or None)
    done = request.session.get(REGISTERED_KEY)
    if request.method == "POST" and token and done and done.get("token") == token:
        return render(request, "portal/consultations/registered.html", {"c": c, "hearing": hearing})
    if request.method == "POST" and token and form.is_valid():
        d = form.cleaned_data
        try:
            hearings.hearing_register(
                hearing=hearing, name=d["name"], contact=d["contact"], position=d["position"],
                client_ip=client_ip(request), idempotency_key=token,
            )  # fmt: skip
        except (services.Duplicate, IntegrityError):
            if first_result(request, token, REGISTERED_KEY):
                return render(request, "portal/consultations/registered.html", {"c": c, "hearing": hearing})
            form.add_error(None, _("已报名，请勿重复提交。"))
        except services.ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            request.session[REGISTERED_KEY] = {"token": token}
            return render(request, "portal/consultations/registered.html", {"c": c, "hearing": hearing})
    elif request.method == "POST" and token is None:
        form.add_error(None, _("页面已失效，请核对后再次提交。"))
        token = str(uuid.uuid4())
    else:
        request.session.setdefault(REGISTERED_KEY, None)
    context = {"c": c, "hearing": hearing, "form": form, "token": token}
    return render(request, "portal/consultations/register.html", context)
