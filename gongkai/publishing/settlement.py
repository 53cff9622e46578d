"""Settling the pre-scan's findings by value: one decision and one reason for every finding of
one value in a submission (issue 17: the same telephone on every page of a notice is one
question, not forty)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.scan import finding_key
from gongkai.core.scan.findings import Kind

from . import permissions
from .models import PERSONAL_DATA_GROUND, REDACTION_GROUNDS, FindingDecision, ScanFinding, Submission
from .services import PublishingError, _require


def findings_of_value(submission: Submission, kind: str, value: str) -> list[ScanFinding]:
    """The submission's findings of ``kind`` whose value is ``value`` in any spelling
    (``gongkai.core.scan.finding_key``: "0551-65123456" and "(0551)65123456" are one)."""
    key = finding_key(kind, value)
    return [f for f in submission.findings.filter(kind=kind) if finding_key(f.kind, f.value) == key]


@transaction.atomic
def findings_settle_value(
    *,
    submission: Submission,
    kind: str,
    value: str,
    actor,
    decision: str,
    reason: str = "",
    ground: str = "",
) -> list[ScanFinding]:
    """Settle every finding of one value (``kind`` and ``value`` of any of them) in the title,
    summary, body and attachments at once: redact them all, or keep them all with one reason.
    Findings already settled the same way are left as they are; each one changed is audited
    as ``finding_settle`` would audit it, marked ``by_value``. Returns the findings of the
    value."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(permissions.can_finding_settle(actor, submission))
    if kind == Kind.SECRECY_MARK:
        # A secrecy mark is settled one by one by the secrecy reviewer (services.finding_settle).
        raise PublishingError(_("密级标志须由保密审查人员逐项登记解密或非本文件密级，不能一并删除或保留。"))
    if decision not in (FindingDecision.REDACT, FindingDecision.KEEP):
        raise PublishingError(_("请选择删除或保留。"))
    reason = reason.strip()[:300] if decision == FindingDecision.KEEP else ""
    if decision == FindingDecision.KEEP and not reason:
        raise PublishingError(_("保留须说明理由。"))
    if ground and ground not in dict(REDACTION_GROUNDS):
        raise PublishingError(_("请选择不公开的理由（个人信息或一项不予公开的理由）。"))
    ground = (ground or PERSONAL_DATA_GROUND) if decision == FindingDecision.REDACT else ""
    findings = findings_of_value(submission, kind, value)
    if not findings:
        raise PublishingError(_("没有这一值的扫描发现。"))
    now = timezone.now()
    for finding in findings:
        if finding.decision == decision and finding.reason == reason and finding.ground == ground:
            continue
        before = {"decision": finding.decision, "reason": finding.reason, "ground": finding.ground}
        finding.decision, finding.reason, finding.ground = decision, reason, ground
        finding.decided_by, finding.decided_at = actor, now
        finding.save(update_fields=["decision", "reason", "ground", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="finding_settle",
            obj=finding,
            before=before,
            after={
                "decision": decision,
                "reason": reason,
                "ground": ground,
                "kind": finding.kind,
                "excerpt": finding.excerpt,
                "by_value": len(findings),
            },
        )
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])
    return findings
