"""The case file of an application (Art. 45: the office keeps the application, receipts,
notices, consultations, letters and delivery proofs) as a summary for the export: the domain's
account of one application, as data (``case_file_summary``) and as text for people
(``case_file_text``). The workbench packs it into a zip with the letters and files."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.scan.masking import mask

from .clock import ClockError, EventKind
from .models import Application, CaseFiling
from .personal_data import mask_values, masked_id_number, masked_phone
from .selectors import clock_state

EVENT_LABELS = {
    EventKind.RECEIVED: _("收到申请"),
    EventKind.CORRECTION_REQUESTED: _("告知补正"),
    EventKind.CORRECTION_RECEIVED: _("收到补正"),
    EventKind.CONSULTATION_STARTED: _("征求意见开始"),
    EventKind.CONSULTATION_DELIVERED: _("被征求意见方收到"),
    EventKind.CONSULTATION_ENDED: _("征求意见结束"),
    EventKind.CORRECTION_NOTICE_RECEIVED: _("申请人收到补正告知"),
    EventKind.FEE_NOTICE_RECEIVED: _("申请人收到收费通知"),
    EventKind.FEE_NOTICE_SENT: _("发出收费通知"),
    EventKind.FEE_PAID: _("缴费"),
    EventKind.FEE_WAIVED: _("减免费用"),
    EventKind.EXTENDED: _("延期答复"),
    EventKind.EXCESSIVE_REASONS_REQUESTED: _("要求说明理由"),
    EventKind.EXCESSIVE_LATER_DATE: _("确定延后答复期限"),
}


APPLICANT_FIELDS = (
    "name", "id_type", "id_number", "org_code", "contact_name", "phone", "email", "address", "postcode",
)  # fmt: skip
REQUEST_FIELDS = ("description", "doc_no", "purpose", "form", "delivery")


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _user(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _label(instance, name: str) -> str:
    display = getattr(instance, f"get_{name}_display", None)
    return display() if display else getattr(instance, name)


PERSONAL_FIELDS = ("id_number", "contact_name", "phone", "email", "address", "postcode")


def masked_applicant(a: Application) -> dict:
    values = {name: _label(a, name) for name in APPLICANT_FIELDS}
    values.update(
        id_number=masked_id_number(a) if a.id_number else "",
        phone=masked_phone(a.phone),
        email=mask("email", a.email) if a.email else "",
        address=mask("address", a.address) if a.address else "",
        postcode=(a.postcode[:2] + "*" * (len(a.postcode) - 2)) if a.postcode else "",
    )
    return values


def letter_text(letter, application: Application, full: bool) -> list[str]:
    if full:
        return list(letter.paragraphs)
    stand_ins = [(getattr(application, name), "***") for name in PERSONAL_FIELDS if name != "contact_name"]
    return [mask_values(str(p), stand_ins) for p in letter.paragraphs]


def case_file_items(application: Application) -> list[dict]:
    """The items of an application answered item by item (分项答复), in the letter's order, each
    with its outcome, grounds and the provided files that answer it; [] when not split."""
    return [
        {
            "no": n,
            "description": item.description,
            "outcome": item.get_outcome_display() if item.outcome else "",
            "reasons": item.reasons,
            "provided_how": item.provided_how,
            "withheld_parts": [f"{part}：{ground}" for part, ground in item.withheld_parts],
            "other_agency": item.other_agency,
            "files": [f.title for f in item.files.all()],
        }
        for n, item in enumerate(
            application.items.prefetch_related("files").order_by("position", "id"), start=1
        )
    ]


def case_file_summary(
    application: Application,
    file,
    letter_paths: dict,
    file_paths: dict,
    *,
    full: bool = True,
    withheld=frozenset(),
) -> dict:
    """The case file's summary (Art. 45: the application, every clock event with its basis,
    consultations, fees, letters, deliveries, files and cases; no hashes or query codes).
    ``file`` holds the case's rows (``events``, ``consultations``, ``fees``, ``letters``,
    ``deliveries``, ``files``, ``cases``, ``merged``, ``related``); ``letter_paths`` and
    ``file_paths`` name where each letter and file lies in the export (None: not included).
    Unless ``full``, the applicant's identifying details are masked in it and in the letters'
    text; ``withheld`` are the files left out on purpose."""
    a = application
    try:
        clock = clock_state(a)
        steps, explanation = list(clock.steps), clock.due_explanation
    except ClockError as exc:
        steps, explanation = [], str(exc)
    return {
        "tracking_no": a.tracking_no,
        "agency": a.agency.name,
        "channel": a.get_channel_display(),
        "applicant_type": a.get_applicant_type_display(),
        "applicant": {name: _label(a, name) for name in APPLICANT_FIELDS} if full else masked_applicant(a),
        "personal_data": "full" if full else "masked",
        "request": {name: _label(a, name) for name in REQUEST_FIELDS},
        "items": case_file_items(a),
        "state": a.get_state_display(),
        "submitted_at": timezone.localtime(a.submitted_at).isoformat(),
        "received_on": _date(a.received_on),
        "reply_due_on": _date(a.reply_due_on),
        "due_provisional": a.due_provisional,
        "outcome": a.get_outcome_display() if a.outcome else "",
        "decided_on": _date(a.decided_on),
        "closed_on": _date(a.closed_on),
        "anonymised_at": timezone.localtime(a.anonymised_at).isoformat() if a.anonymised_at else None,
        "other_agency": a.other_agency,
        "fee_yuan": str(a.fee_yuan),
        "registered_by": _user(a.registered_by),
        "assigned_to": _user(a.assigned_to),
        "merged_into": a.merged_into.tracking_no if a.merged_into else None,
        "merged": [m.tracking_no for m in file.merged],
        "related": [r.tracking_no for r in file.related],
        "clock": {"steps": steps, "due_explanation": explanation},
        "clock_events": [
            {
                "event": str(EVENT_LABELS.get(e.kind, e.kind)),
                "on": _date(e.on),
                "days": e.days,
                "until": _date(e.until),
                "basis": e.basis,
                "note": e.note,
                "by": _user(e.actor),
                "recorded_at": timezone.localtime(e.at).isoformat(),
            }
            for e in file.events
        ],
        "consultations": [
            {
                "party": c.get_party_display(),
                "party_name": c.party_name,
                "started_on": _date(c.started_on),
                "answer_due_on": _date(c.answer_due_on),
                "answered_on": _date(c.answered_on),
                "answer": c.get_answer_display(),
                "reasons": c.reasons,
            }
            for c in file.consultations
        ],
        "fees": [
            {
                "method": f.method,
                "amount": str(f.amount),
                "basis": f.basis,
                "sent_on": _date(f.sent_on),
                "pay_by": _date(f.pay_by),
                "paid_on": _date(f.paid_on),
                "paid_amount": str(f.paid_amount) if f.paid_amount is not None else None,
                "receipt_no": f.receipt_no,
                "waived": f.waived,
                "waived_to": str(f.waived_to) if f.waived_to is not None else None,
                "waiver_approved_by": _user(f.waiver_approved_by),
                "refunded_amount": str(f.refunded_amount),
            }
            for f in file.fees
        ],
        "letters": [
            {
                "title": letter.title,
                "letter_no": letter.letter_no,
                "kind": letter.kind,
                "created_at": timezone.localtime(letter.created_at).isoformat(),
                "created_by": _user(letter.created_by),
                "superseded": letter.superseded_by_id is not None,
                "pdf": letter_paths[letter.pk],
                "text": letter_text(letter, a, full),
            }
            for letter in file.letters
        ],
        "deliveries": [
            {
                "letter": d.letter.title if d.letter else "",
                "letter_no": d.letter.letter_no if d.letter else "",
                "method": d.get_method_display(),
                "on": _date(d.on),
                "proof": d.proof,
                "by": _user(d.actor),
            }
            for d in file.deliveries
        ],
        "files": [
            {
                "kind": f.get_kind_display(),
                "title": f.title,
                "content_type": f.content_type,
                "size": f.size,
                "added_at": timezone.localtime(f.created_at).isoformat(),
                "path": file_paths.get(f.pk),
                **({"withheld": True} if f.pk in withheld else {}),
            }
            for f in file.files
        ],
        "cases": [
            {
                "kind": c.get_kind_display(),
                "filed_on": _date(c.filed_on),
                "decided_on": _date(c.decided_on),
                "result": c.get_result_display() if c.result else "",
                "note": c.note,
            }
            for c in file.cases
        ],
        "filing": _filing(a),
        "exported_at": timezone.localtime().isoformat(),
    }


def _filing(application: Application) -> dict | None:
    """The case's 档号 once filed (services/filing.py), else None."""
    filing = CaseFiling.objects.filter(application=application).select_related("filed_by").first()
    if filing is None:
        return None
    return {
        "archive_no": filing.archive_no,
        "year": filing.year,
        "seq": filing.seq,
        "retention": filing.get_retention_display(),
        "filed_at": timezone.localtime(filing.filed_at).isoformat(),
        "filed_by": _user(filing.filed_by),
    }


# The summary's keys as the records office reads them (issue 18 item 6): the JSON keeps its
# keys for programs, the text for people says each in Chinese.
SUMMARY_LABELS = {
    "tracking_no": "申请编号", "agency": "受理机关", "channel": "申请方式", "applicant_type": "申请人类型",
    "applicant": "申请人", "personal_data": "个人信息", "request": "申请内容", "state": "状态",
    "submitted_at": "提交时间", "received_on": "收到申请之日", "reply_due_on": "答复期限",
    "due_provisional": "期限为暂定", "outcome": "处理结果", "decided_on": "决定日期", "closed_on": "办结日期",
    "anonymised_at": "匿名化时间", "other_agency": "负责该信息的机关", "fee_yuan": "收费金额（元）",
    "registered_by": "登记人", "assigned_to": "承办人", "merged_into": "并入", "merged": "并入本申请的重复申请",
    "related": "关联申请", "clock": "期限计算", "steps": "计算步骤", "due_explanation": "期限说明",
    "clock_events": "计时事件", "event": "事件", "on": "日期", "days": "天数", "until": "截止",
    "basis": "依据", "note": "说明", "by": "经办人", "recorded_at": "记录时间",
    "consultations": "征求意见", "party": "征求对象类型", "party_name": "征求对象", "started_on": "发出日期",
    "answer_due_on": "答复期限", "answered_on": "答复日期", "answer": "意见", "reasons": "理由",
    "fees": "收费", "method": "方式", "amount": "金额", "sent_on": "通知日期", "pay_by": "缴费期限",
    "paid_on": "缴费日期", "paid_amount": "缴费金额", "receipt_no": "票据号", "waived": "减免",
    "waived_to": "减免至", "waiver_approved_by": "减免批准人", "refunded_amount": "退费金额",
    "letters": "文书", "title": "题名", "letter_no": "文号", "kind": "类型", "created_at": "制作时间",
    "created_by": "制作人", "superseded": "已被替代", "pdf": "文件", "text": "正文",
    "deliveries": "送达记录", "letter": "文书", "proof": "送达凭证", "files": "材料",
    "content_type": "文件类型", "size": "大小（字节）", "added_at": "添加时间", "path": "文件",
    "withheld": "未导出", "cases": "复议诉讼", "filed_on": "立案日期", "result": "结果",
    "exported_at": "导出时间", "filing": "归档", "archive_no": "档号", "year": "年度", "seq": "件号",
    "retention": "保管期限", "filed_at": "归档时间", "filed_by": "归档人",
    "name": "姓名或名称", "id_type": "证件类型", "id_number": "证件号码", "org_code": "统一社会信用代码",
    "contact_name": "联系人", "phone": "联系电话", "email": "电子邮箱", "address": "通信地址",
    "postcode": "邮政编码", "description": "所需信息的内容描述", "doc_no": "文件名称、文号或其他特征",
    "purpose": "用途", "form": "获取信息的方式", "delivery": "获取信息的途径",
}  # fmt: skip


# The items of a reply item by item (分项答复, issue 18 item 5).
SUMMARY_LABELS.update(items="分项", no="序号", provided_how="提供方式", withheld_parts="不予公开的部分及理由")

PERSONAL_DATA_LABELS = {"full": "完整", "masked": "已部分隐藏"}


def _text_value(item) -> str:
    if item is None:
        return ""
    if isinstance(item, bool):
        return "是" if item else "否"
    return str(item)


def case_file_text(summary: dict) -> str:
    """The summary for people: one ``标签: value`` line each (Chinese labels), lists beneath."""
    lines = [f"政府信息公开申请案卷 {summary['tracking_no']}", ""]

    def walk(value, indent: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                label = SUMMARY_LABELS.get(key, key)
                if isinstance(item, dict | list):
                    lines.append(f"{indent}{label}:")
                    walk(item, indent + "  ")
                else:
                    item = PERSONAL_DATA_LABELS.get(item, item) if key == "personal_data" else item
                    lines.append(f"{indent}{label}: {_text_value(item)}")
        elif isinstance(value, list):
            for n, item in enumerate(value, start=1):
                if isinstance(item, dict | list):
                    lines.append(f"{indent}- {n}")
                    walk(item, indent + "  ")
                else:
                    lines.append(f"{indent}- {_text_value(item)}")

    walk(summary, "")
    return "\n".join(lines) + "\n"
