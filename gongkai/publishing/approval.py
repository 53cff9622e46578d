"""The proof that a record passed its review chain, checked by catalogue.services before it
publishes or edits anything public (先审查、后公开, Art. 17). This module is the catalogue's
review authority (catalogue/review.py), registered in publishing/apps.py.

``document_publish`` accepts a Submission as its proof and asks ``approval_problem`` whether
the database shows that submission approved: in review at its last step or scheduled, every
step of the current round approved by a recorded action, and no pre-scan finding pending. An
object built in a shell, or a submission of another document, or one still mid-chain, fails.
"""

from .models import FindingDecision, ReviewAction, Submission
from .rules import OPEN_STATES, Decision, SubmissionKind, SubmissionState


def approval_problem(submission, document) -> str | None:
    """Why ``submission`` does not authorise publishing ``document`` (None when it does)."""
    if not isinstance(submission, Submission) or submission.pk is None:
        return "没有审查通过的送审单。"
    stored = Submission.objects.filter(pk=submission.pk).first()
    if stored is None or stored.document_id != document.pk or stored.kind != SubmissionKind.PUBLISH:
        return "送审单与该信息不符。"
    if stored.state not in (SubmissionState.IN_REVIEW, SubmissionState.SCHEDULED) or stored.round < 1:
        return "送审单未处于审批完成待发布的状态。"
    steps = stored.steps
    if stored.step != len(steps) - 1:
        return "审查链尚未走完。"
    actions = set(
        ReviewAction.objects.filter(submission=stored, round=stored.round).values_list(
            "step", "step_key", "decision"
        )
    )
    if (0, steps[0].key, Decision.SUBMIT) not in actions:
        return "该轮次没有送审记录。"
    for i, step in enumerate(steps[1:], start=1):
        if (i, step.key, Decision.APPROVE) not in actions:
            return f"“{step.label}”环节尚未审批通过。"
    if stored.findings.filter(decision=FindingDecision.PENDING).exists():
        return "还有扫描发现未处理。"
    return None


def under_review(document) -> bool:
    """Whether the document's content is governed by the review chain: it was drafted as a
    record (a publication submission exists) or a submission about it is open."""
    return (
        Submission.objects.filter(document_id=document.pk).filter(kind=SubmissionKind.PUBLISH).exists()
        or Submission.objects.filter(document_id=document.pk, state__in=OPEN_STATES).exists()
    )
