"""The remedies a decision leaves the applicant, and who hears them (regulation.md, "Replies"):
under the Reconsideration Law as revised in 2023 (Art. 23(1)(4)) a refusal to disclose (不予公开)
goes to reconsideration first; every other outcome leaves the choice of reconsideration within
60 days (Art. 20) or a suit within 6 months (Administrative Litigation Law Art. 46). The bodies and
their addresses are those the agency records (``Agency.reconsideration_body`` and the rest).

Pure: the letters' own wording is in ``letter_templates``; this is what the progress page shows.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency

from .letter_templates import RECONSIDERATION_FIRST, RECONSIDERATION_FIRST_IN_PART


@dataclass(frozen=True)
class Remedies:
    """What the applicant may do against a decision, in sentences, and who hears it."""

    reconsideration_first: bool  # for the whole decision (a refusal to disclose)
    lines: tuple[str, ...]
    reconsideration_body: str
    court: str  # "" where reconsideration comes first and the letter names no court


def _named(name: str, address: str) -> str:
    if not name:
        return _("（本机关尚未登记，请向本机关政府信息公开工作机构咨询）")
    return _("%(name)s（地址：%(address)s）") % {"name": name, "address": address} if address else name


def remedies_for(agency: Agency, outcome: str) -> Remedies:
    """The remedies against a reply with ``outcome`` from ``agency``."""
    body = _named(agency.reconsideration_body, agency.reconsideration_address)
    court = _named(agency.court, agency.court_address)
    first = _(
        "对%(what)s不服的，应当先向%(body)s申请行政复议（自收到答复之日起60日内，"
        "《中华人民共和国行政复议法》第二十三条）；对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
    )
    either = _(
        "对%(what)s不服的，可以自收到答复之日起60日内向%(body)s申请行政复议，"
        "也可以自收到答复之日起6个月内直接向%(court)s提起行政诉讼。"
    )
    if outcome in RECONSIDERATION_FIRST:
        lines = (first % {"what": _("本答复"), "body": body},)
        return Remedies(True, lines, body, "")
    if outcome in RECONSIDERATION_FIRST_IN_PART:
        lines = (
            first % {"what": _("答复中不予公开的部分"), "body": body},
            either % {"what": _("答复的其他内容"), "body": body, "court": court},
        )
        return Remedies(False, lines, body, court)
    return Remedies(False, (either % {"what": _("本答复"), "body": body, "court": court},), body, court)
