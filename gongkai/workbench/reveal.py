"""The reveal of an applicant's personal data in a staff session (“显示完整信息”): the form
asking for the reason, the grant held REVEAL_MINUTES for one application, and the audit of a
download made under it (gongkai/applications/personal_data.py). Shared by the case page and its
downloads (views/application_page.py, views/applications.py) and the reveal view."""

import time

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.applications.models import Application
from gongkai.applications.personal_data import MAX_REASON_LENGTH, may_reveal, personal_data_reveal

REVEAL_SESSION_KEY = "application_reveals"  # {str(pk): {"until": epoch seconds, "reason": str}}
REVEAL_MINUTES = 10
REVEAL_PREFIX = "reveal"


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("查看理由"),
        max_length=MAX_REASON_LENGTH,
        help_text=gettext_lazy("例如：电话联系申请人补正；邮寄答复书。理由记入审计日志。"),
        error_messages={"required": gettext_lazy("请填写查看完整信息的理由。")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请填写查看完整信息的理由。"))
        return reason


def blank_reveal_form() -> RevealForm:
    return RevealForm(prefix=REVEAL_PREFIX)


def reveal_reason(request, application: Application) -> str | None:
    """The reason of the reveal that holds for ``application`` in this session, or None (no
    reveal, an expired one, or the user no longer handles the case)."""
    grant = (request.session.get(REVEAL_SESSION_KEY) or {}).get(str(application.pk))
    if not grant or grant.get("until", 0) < time.time():
        return None
    if not may_reveal(request.user, application):
        return None
    return grant.get("reason") or None


def reveal_grant(request, application: Application, reason: str) -> None:
    now = time.time()
    grants = {
        k: v for k, v in (request.session.get(REVEAL_SESSION_KEY) or {}).items() if v.get("until", 0) > now
    }
    grants[str(application.pk)] = {"until": now + REVEAL_MINUTES * 60, "reason": reason}
    request.session[REVEAL_SESSION_KEY] = grants


def audit_download(request, application: Application, *, shown: str, file=None) -> bool:
    """For a download of personal data: audit it with the reveal's reason. False (and nothing
    recorded) when no reveal holds."""
    reason = reveal_reason(request, application)
    if reason is None:
        return False
    personal_data_reveal(application=application, actor=request.user, reason=reason, shown=shown, file=file)
    return True
