"""Questions answered in public, the public's side: online questions (网上咨询) and their
published answers (searchable), online interviews (在线访谈) with the question form and the
transcript, and topic proposals (点题公开) with the offices' public responses.

Lists and answers are public and cacheable (personal data masked, no one named). Forms carry a
per-render token: a double click shows the first result (double_submit.py); never cached."""

import uuid
from collections.abc import Callable

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts.network import client_ip
from gongkai.questions import selectors, services
from gongkai.questions.forms import InterviewQuestionForm, ProposalForm, QuestionForm
from gongkai.questions.rules import takes_questions

from .common import public_page
from .double_submit import first_result

DONE_KEY = "question_done"
PAGE_SIZE = 20


def _token(raw) -> str | None:
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError:
        return None


def _public_form(
    request, *, form_class, template: str, context: dict, submit: Callable[[dict, str], str], kind: str
):
    """GET: a fresh form with its token. POST: validate, call ``submit(data, token)`` (returns
    the tracking number or label shown on the done page) once per token; a repeated token
    shows the first result."""
    if request.method != "POST":
        request.session.setdefault(DONE_KEY, None)  # both requests of a double click share it
        initial = {"agency": request.GET["agency"][:32]} if request.GET.get("agency") else {}
        return render(
            request, template, {**context, "form": form_class(initial=initial), "token": str(uuid.uuid4())}
        )
    token = _token(request.POST.get("token"))
    done = request.session.get(DONE_KEY)
    if token and done and done.get("token") == token:
        return redirect("portal:question_done")
    form = form_class(request.POST)
    status = 200
    if token is None:
        form.is_valid()
        form.add_error(None, _("页面已失效，请核对后再次提交。"))
        token = str(uuid.uuid4())
    elif form.is_valid():
        try:
            number = submit(form.cleaned_data, token)
        except services.RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except (services.Duplicate, IntegrityError):
            if first_result(request, token, DONE_KEY):
                return redirect("portal:question_done")
            form.add_error(None, _("已提交，请勿重复提交。"))
            token = str(uuid.uuid4())
        except services.QuestionError as exc:
            form.add_error(None, str(exc))
        else:
            request.session[DONE_KEY] = {"token": token, "number": number, "kind": kind}
            return redirect("portal:question_done")
    return render(request, template, {**context, "form": form, "token": token}, status=status)


# --- 网上咨询 ----------------------------------------------------------------------------------


@public_page
def question_list(request):
    """Published answers, latest first, searchable by words and agency."""
    q = request.GET.get("q", "")[:100]
    qs = selectors.published_questions(q=q, agency_code=request.GET.get("agency", "")[:32])
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/questions/list.html", {"page_obj": page_obj, "q": q})


@public_page
def question_detail(request, tracking_no: str):
    return render(request, "portal/questions/detail.html", {"q": selectors.published_question(tracking_no)})


@sensitive_post_parameters("name", "contact")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def question_ask(request):
    def submit(d, token):
        return services.question_submit(
            agency=d["agency"], subject=d["subject"], body=d["body"], name=d["name"], contact=d["contact"],
            client_ip=client_ip(request), idempotency_key=token,
        ).tracking_no  # fmt: skip

    return _public_form(
        request, form_class=QuestionForm, template="portal/questions/ask.html", context={}, submit=submit,
        kind="question",
    )  # fmt: skip


@never_cache
@require_GET
def question_done(request):
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("portal:questions")
    return render(request, "portal/questions/done.html", {"done": done})


# --- 在线访谈 ----------------------------------------------------------------------------------


@public_page
def interview_list(request):
    return render(request, "portal/questions/interviews.html", {"interviews": selectors.public_interviews()})


@public_page
def interview_detail(request, pk: int):
    interview = selectors.public_interview(pk)
    context = {
        "interview": interview,
        "takes_questions": takes_questions(interview.phase),
        "materials": selectors.interview_materials(interview),
    }
    return render(request, "portal/questions/interview.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def interview_ask(request, pk: int):
    interview = selectors.public_interview(pk)
    if not takes_questions(interview.phase):
        return redirect("portal:interview", pk=pk)

    def submit(d, token):
        services.interview_question_submit(
            interview=interview,
            body=d["body"],
            name=d["name"],
            client_ip=client_ip(request),
            idempotency_key=token,
        )
        return interview.title

    return _public_form(
        request, form_class=InterviewQuestionForm, template="portal/questions/interview_ask.html",
        context={"interview": interview}, submit=submit, kind="interview",
    )  # fmt: skip


# --- 点题公开 ----------------------------------------------------------------------------------


@public_page
def proposal_list(request):
    return render(request, "portal/questions/proposals.html", {"proposals": selectors.public_proposals()})


@sensitive_post_parameters("name", "contact")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_new(request):
    def submit(d, token):
        return services.proposal_submit(
            agency=d["agency"], topic=d["topic"], reason=d["reason"], name=d["name"], contact=d["contact"],
            client_ip=client_ip(request), idempotency_key=token,
        ).tracking_no  # fmt: skip

    return _public_form(
        request, form_class=ProposalForm, template="portal/questions/propose.html", context={}, submit=submit,
        kind="proposal",
    )  # fmt: skip
