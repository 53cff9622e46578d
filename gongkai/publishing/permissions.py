"""Who may do what in proactive disclosure: one function per service, named after it
(``can_<service>``), each answering for one user and one object. Services call them; views
use them to show or hide buttons. Roles come from explicit grants (StaffRole) on the agency
itself: a superuser or administrator does not approve publications by virtue of that status
(security.md, separated duties); supervisors see the agencies below theirs but act on none.
"""

from gongkai.agencies.access import agencies_in_scope, roles_at
from gongkai.agencies.models import Agency, Role

from .rules import EDITABLE_STATES, SECRECY_REFERRAL_STEP, SubmissionState


def roles_in(user, agency: Agency) -> set[str]:
    return roles_at(user, agency)


def can_view(user, agency: Agency) -> bool:
    """Read access: any staff role with the agency in scope (supervisors: their sub-tree)."""
    return agencies_in_scope(user).filter(pk=agency.pk).exists()


def can_record_draft(user, agency: Agency) -> bool:
    return Role.CLERK in roles_in(user, agency)


def can_record_update(user, submission) -> bool:
    return submission.state in EDITABLE_STATES and can_record_draft(user, submission.agency)


def can_submission_submit(user, submission) -> bool:
    return can_record_update(user, submission)


def can_change_propose(user, document) -> bool:
    return can_record_draft(user, document.agency)


def can_submission_cancel(user, submission) -> bool:
    if submission.state == SubmissionState.SCHEDULED:
        return bool({Role.OFFICE_HEAD, Role.LEADER} & roles_in(user, submission.agency))
    return submission.state in EDITABLE_STATES and can_record_draft(user, submission.agency)


def can_submission_decide(user, submission) -> bool:
    """The current step's role, held on this agency, by someone who neither drafted nor
    submitted the record and has not already approved an earlier step of this round."""
    step = submission.current_step
    if step is None or step.role not in roles_in(user, submission.agency):
        return False
    if user.pk in (submission.created_by_id, submission.submitted_by_id):
        return False
    if step.key == SECRECY_REFERRAL_STEP.key:
        return True  # the office registers the bureau's answer to its own referral
    approvals = submission.actions.filter(round=submission.round, actor=user, step__gte=1, decision="approve")
    return not approvals.exclude(step_key=SECRECY_REFERRAL_STEP.key).exists()


def can_finding_settle(user, submission) -> bool:
    return can_submission_decide(user, submission)
