"""The assistance letter (协办函, spec regulation.md "procedural documents"): the handling agency
asks another agency to search for information and answer by a date. Laid out by the letters'
machinery of applications (letter_formats: GB/T 9704 typography, the CJK font subset)."""

from django.utils.translation import gettext as _

from .models import Task


def assistance_letter_paragraphs(task: Task) -> tuple[str, str, list[str], list[str]]:
    """Title, number, paragraphs (addressee first) and seal lines of ``task``'s letter. The
    applicant is not named: the assisting agency needs the request, not the person."""
    from gongkai.applications.letters import cn_date, quotable  # loads PyMuPDF: on use only (memory)

    a = task.application
    agency = a.agency
    office = getattr(agency, "office", None)
    paragraphs = [
        f"{task.target_agency.name}：",
        _(
            "本机关于%(received)s收到政府信息公开申请（申请编号：%(no)s），申请获取“%(what)s”。"
            "经研究，该申请涉及贵机关职责，现请协助办理以下事项：%(part)s。"
        )
        % {
            "received": cn_date(a.received_on) if a.received_on else "",
            "no": a.tracking_no,
            "what": quotable(a.description),
            "part": task.part.rstrip("。"),
        },
    ]
    paragraphs += [line.strip() for line in task.instructions.splitlines() if line.strip()]
    paragraphs.append(
        _("请于%(due)s前通过政府信息公开平台反馈检索结果和意见，并附相关材料。")
        % {"due": cn_date(task.due_on)}
    )
    if office is not None and (office.phone or office.address):
        contact = "，".join(
            x
            for x in (
                _("联系电话：%(phone)s") % {"phone": office.phone} if office.phone else "",
                _("地址：%(address)s") % {"address": office.address} if office.address else "",
            )
            if x
        )
        paragraphs.append(
            _("联系人：%(office)s，%(contact)s。") % {"office": office.name, "contact": contact}
        )
    seal = [agency.name, cn_date(task.created_at.date())]
    return _("政府信息公开申请协办函"), task.letter_no, paragraphs, seal


def assistance_letter_pdf(task: Task) -> bytes:
    from gongkai.applications.letter_formats import RenderedLetter, letter_pdf  # PyMuPDF: on use only

    title, letter_no, paragraphs, seal = assistance_letter_paragraphs(task)
    return letter_pdf(
        RenderedLetter(title=title, letter_no=letter_no, paragraphs=paragraphs, seal_lines=seal)
    )
