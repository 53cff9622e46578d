"""The one vocabulary of 不予公开 grounds (docs/glossary.md, "Grounds of non-disclosure"):
why a piece of government information is not disclosed, in the Regulation's words, with its
article. Proactive disclosure records the ground of a record not published and of a redaction
(publishing: ``NonDisclosureGround`` is this class); disclosure on application records it in
the outcome of a refusal (applications: each ``Outcome.WITHHELD_*`` is one ground, mapped by
``applications.rules.WITHHELD_GROUND``; the outcome codes stay those of interfaces.md and the
annual report's Table 2).

It lives in core so that both apps use it without one importing the other.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ground(models.TextChoices):
    """Art. 14-16, 36(7): exactly one ground for everything not disclosed."""

    STATE_SECRET = "state_secret", _("属于国家秘密")
    PROHIBITED_BY_LAW = "prohibited_by_law", _("其他法律、行政法规禁止公开")
    SECURITY_STABILITY = "security_stability", _("危及“三安全一稳定”")
    THIRD_PARTY = "third_party", _("保护第三方合法权益（商业秘密、个人隐私）")
    INTERNAL_AFFAIRS = "internal_affairs", _("属于三类内部事务信息")
    PROCESS_INFO = "process_info", _("属于四类过程性信息")
    ENFORCEMENT_FILE = "enforcement_file", _("属于行政执法案卷")
    INQUIRY_MATTER = "inquiry_matter", _("属于行政查询事项")


# The article of the Regulation (国务院令第711号) each ground rests on.
ARTICLE = {
    Ground.STATE_SECRET: "第十四条",
    Ground.PROHIBITED_BY_LAW: "第十四条",
    Ground.SECURITY_STABILITY: "第十四条",
    Ground.THIRD_PARTY: "第十五条",
    Ground.INTERNAL_AFFAIRS: "第十六条第一款",
    Ground.PROCESS_INFO: "第十六条第二款",
    Ground.ENFORCEMENT_FILE: "第十六条第二款",
    Ground.INQUIRY_MATTER: "第三十六条第七项",
}
