"""Questions answered in public, in the workbench: the inbox of online questions and topic
proposals (open ones first by answer date, overdue marked), answering and responding, and online
interviews (announce, see the questions collected, publish the transcript). Each POST parses one
form, calls one service of gongkai.questions and goes back to the page (PRG)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.agencies.access import agencies_in_scope
from gongkai.questions import selectors, services
from gongkai.questions.forms import AnswerForm, InterviewForm, RespondForm, TranscriptForm
from gongkai.questions.services import ACTING_ROLES

from .common import page, run_form, run_service

PAGE_SIZE = 20


@require_http_methods(["GET", "HEAD"])
@staff_required
def question_inbox(request):
    """Questions and proposals to the agencies in scope; ``?overdue=1`` keeps the late ones."""
    today = timezone.localdate()
    questions = selectors.questions_in_scope(request.user)
    proposals = selectors.proposals_in_scope(request.user)
    overdue = bool(request.GET.get("overdue"))
    if overdue:
        questions = questions.filter(answered_at__isnull=True, due_on__lt=today)
        proposals = proposals.filter(responded_at__isnull=True, due_on__lt=today)
    page_obj = Paginator(selectors.by_due_date(questions), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "questions": selectors.decorate(page_obj.object_list, today),
        "proposals": selectors.decorate(
            selectors.by_due_date(proposals, "responded_at")[:PAGE_SIZE], today, "responded_at"
        ),
        "interviews": selectors.decorate_interviews(selectors.interviews_in_scope(request.user)[:PAGE_SIZE]),
        "counts": selectors.inbox_counts(request.user, today),
        "overdue": overdue,
        "can_announce": agencies_in_scope(request.user, *ACTING_ROLES).exists(),
    }
    return page(request, "workbench/questions/inbox.html", context)


def _render_question(request, question, form=None, status=200):
    context = {
        "q": question,
        "can_act": services.can_act(request.user, question.agency),
        "form": form
        or AnswerForm(initial={"version": question.version, "answer": question.answer, "publish": True}),
    }
    return page(request, "workbench/questions/question.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@staff_required
def question_detail(request, pk: int):
    return _render_question(request, selectors.question_for_staff(request.user, pk))


@require_POST
@staff_required
def question_answer(request, pk: int):
    question = selectors.question_for_staff(request.user, pk)
    return run_form(
        request, AnswerForm(request.POST),
        lambda d: services.question_answer(
            question=question, answer=d["answer"], publish=d["publish"], actor=request.user,
            expected_version=d["version"],
        ),
        errors=(services.QuestionError,), conflict_status=409,
        again=lambda form, status: _render_question(request, question, form, status=status),
        success=lambda d: _("已答复并公开。") if d["publish"] else _("已答复。"),
        then=lambda _result: redirect("workbench:question_detail", pk=pk),
    )  # fmt: skip


def _render_proposal(request, proposal, form=None, status=200):
    context = {
        "p": proposal,
        "can_act": services.can_act(request.user, proposal.agency),
        "form": form or RespondForm(initial={"version": proposal.version}),
    }
    return page(request, "workbench/questions/proposal.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@staff_required
def proposal_detail(request, pk: int):
    return _render_proposal(request, selectors.proposal_for_staff(request.user, pk))


@require_POST
@staff_required
def proposal_respond(request, pk: int):
    proposal = selectors.proposal_for_staff(request.user, pk)
    return run_form(
        request, RespondForm(request.POST),
        lambda d: services.proposal_respond(
            proposal=proposal, response=d["response"], text=d["text"], publish_by=d["publish_by"],
            link=d["link"], actor=request.user, expected_version=d["version"],
        ),
        errors=(services.QuestionError,),
        again=lambda form, status: _render_proposal(request, proposal, form, status=status),
        success=_("答复已公开。"), then=lambda _result: redirect("workbench:proposal_detail", pk=pk),
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def interview_new(request):
    agencies = agencies_in_scope(request.user, *ACTING_ROLES).order_by("path")
    if not agencies.exists():
        raise Http404
    form = InterviewForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        response = run_service(
            request,
            lambda: services.interview_announce(actor=request.user, **form.cleaned_data),
            errors=(services.QuestionError,),
            refused=lambda exc: form.add_error(None, str(exc)),  # None: the form again, with why
            success=_("访谈已预告，开始征集网友问题。"),
            then=lambda interview: redirect("workbench:interview_detail", pk=interview.pk),
        )
        if response is not None:
            return response
    return page(request, "workbench/questions/interview_new.html", {"form": form})


def _render_interview(request, interview, form=None, status=200):
    context = {
        "i": interview,
        "questions": list(interview.questions.all()),
        "can_act": services.can_act(request.user, interview.agency),
        "form": form
        or TranscriptForm(
            initial={
                "transcript": interview.transcript,
                "materials": "\n".join(interview.materials.values_list("index_no", flat=True)),
            }
        ),
    }
    return page(request, "workbench/questions/interview.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@staff_required
def interview_detail(request, pk: int):
    return _render_interview(request, selectors.interview_for_staff(request.user, pk))


@require_POST
@staff_required
def interview_transcript(request, pk: int):
    interview = selectors.interview_for_staff(request.user, pk)
    return run_form(
        request,
        TranscriptForm(request.POST),
        lambda d: services.interview_transcript_publish(
            interview=interview, transcript=d["transcript"], materials=d["materials"], actor=request.user
        ),
        errors=(services.QuestionError,),
        again=lambda form, status: _render_interview(request, interview, form, status=status),
        success=_("文字实录已公开。"),
        then=lambda _result: redirect("workbench:interview_detail", pk=pk),
    )
