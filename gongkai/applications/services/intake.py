"""Receiving applications: online submission, registration by staff, confirmation of receipt
(Art. 31), and the applicant's papers stored with the file.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.catalogue.uploads import InspectedUpload, upload_inspect
from gongkai.core.audit import audit_record
from gongkai.core.files.kinds import AttachmentError
from gongkai.core.query_codes import query_code_hash

from .. import clock as clock_engine
from ..models import (
    Application,
    ApplicationFile,
)
from ..rules import (
    ApplicationState,
    Channel,
)
from .base import (
    ApplicationError,
    RateLimited,
    _lock,
    _require,
    _save,
    _snapshot,
    _transition,
    can_handle,
)
from .clock_bridge import _event

QUERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by hand
QUERY_CODE_LENGTH = 8
# Abuse limits without any outside service (security.md): per address and per identity.
SUBMISSIONS_PER_ADDRESS_PER_HOUR = 10
SUBMISSIONS_PER_IDENTITY_PER_DAY = 20


# --- submission -----------------------------------------------------------------------------


@dataclass
class Submitted:
    application: Application
    query_code: str  # shown to the applicant once; only its hash is stored


def _new_tracking_no(today: date) -> str:
    return f"{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


def _new_query_code() -> str:
    return "".join(secrets.choice(QUERY_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def _fields(data: dict) -> dict:
    names = [
        "applicant_type", "name", "id_type", "id_number", "org_code", "contact_name", "phone", "email",
        "address", "postcode", "description", "doc_no", "purpose", "form", "delivery",
    ]  # fmt: skip
    return {name: data.get(name) or "" for name in names}


def _check_rate(*, client_ip: str | None, id_number: str, org_code: str = "") -> None:
    now = timezone.now()
    if client_ip and (
        Application.objects.filter(client_ip=client_ip, submitted_at__gte=now - timedelta(hours=1)).count()
        >= SUBMISSIONS_PER_ADDRESS_PER_HOUR
    ):
        raise RateLimited(_("提交过于频繁，请一小时后再试；如需大量申请，请联系政府信息公开工作机构。"))
    identity = {"id_number": id_number} if id_number else {"org_code": org_code} if org_code else None
    if identity and (
        Application.objects.filter(**identity, submitted_at__gte=now - timedelta(days=1)).count()
        >= SUBMISSIONS_PER_IDENTITY_PER_DAY
    ):
        raise RateLimited(_("同一申请人今日提交的申请已达上限，请明日再试。"))


def _new_code_and_hash() -> tuple[str, str]:
    """A query code and its keyed hash (gongkai.core.query_codes)."""
    code = _new_query_code()
    return code, query_code_hash(code)


def _create(
    *, agency: Agency, data: dict, channel: str, state: str, code_and_hash=None, **extra
) -> Submitted:
    code, code_hash = code_and_hash or _new_code_and_hash()
    for _attempt in range(5):  # a tracking number is random; a collision is retried
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    agency=agency,
                    tracking_no=_new_tracking_no(timezone.localdate()),
                    query_code_hash=code_hash,
                    channel=channel,
                    state=state,
                    **_fields(data),
                    **extra,
                )
            return Submitted(application, code)
        except IntegrityError:
            if (
                extra.get("idempotency_key")
                and Application.objects.filter(idempotency_key=extra["idempotency_key"]).exists()
            ):
                raise
    raise ApplicationError(_("系统繁忙，请稍后重试。"))


def _inspect(data, filename: str) -> InspectedUpload:
    try:
        return upload_inspect(data=data, filename=filename)
    except AttachmentError as exc:
        raise ApplicationError(str(exc)) from exc


def _store_file(application: Application, *, data, filename: str, kind: str) -> ApplicationFile:
    """Store an upload (bytes, or a file object: an upload on disk is inspected and copied where
    it lies, in chunks, never read whole into memory; catalogue/uploads.py)."""
    return _store_inspected(application, _inspect(data, filename), kind=kind)


def _store_inspected(application: Application, upload: InspectedUpload, *, kind: str) -> ApplicationFile:
    row = ApplicationFile(
        application=application,
        kind=kind,
        title=upload.original_name[:300],
        content_type=upload.kind.content_type,
        size=upload.size,
        sha256=upload.sha256,
    )
    with upload.open() as fh:
        row.file.save(f"{secrets.token_hex(16)}{upload.extension}", File(fh), save=False)
    row.save()
    return row


def _file_snapshot(row: ApplicationFile) -> dict:
    """A file as the audit trail records it: not its uploaded name, which may name the
    applicant ("张三身份证.jpg"); the audit trail outlives the retention period."""
    return {"kind": row.kind, "size": row.size, "sha256": row.sha256}


def application_submit_online(
    *, data: dict, client_ip: str | None = None, idempotency_key: str | None = None, identity_proof=None
) -> Submitted:
    """A citizen's online application (validated by ApplicationForm). It waits for the office
    to confirm receipt, which fixes the receipt date (Art. 31(3)). A retried submission with the
    same idempotency key returns the first one (a double click makes one application)."""
    code_and_hash = _new_code_and_hash()
    with transaction.atomic():
        return _submit_online(
            data=data, client_ip=client_ip, idempotency_key=idempotency_key, identity_proof=identity_proof,
            code_and_hash=code_and_hash,
        )  # fmt: skip


def _submit_online(*, data, client_ip, idempotency_key, identity_proof, code_and_hash) -> Submitted:
    if idempotency_key:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            raise ApplicationError(_("该申请已提交，申请编号：%(no)s。") % {"no": existing.tracking_no})
    _check_rate(client_ip=client_ip, id_number=data.get("id_number", ""), org_code=data.get("org_code", ""))
    submitted = _create(
        agency=data["agency"],
        data=data,
        channel=Channel.ONLINE,
        state=ApplicationState.SUBMITTED,
        client_ip=client_ip,
        idempotency_key=idempotency_key or None,
        code_and_hash=code_and_hash,
    )
    if identity_proof is not None:
        _store_file(
            submitted.application,
            data=identity_proof,
            filename=identity_proof.name,
            kind=ApplicationFile.Kind.IDENTITY_PROOF,
        )
    audit_record(
        actor=None,
        action="application_submit_online",
        obj=submitted.application,
        after=_snapshot(submitted.application),
    )
    return submitted


# The papers a registration may come with (issue 18 item 3), each kept as a file of its kind.
INTAKE_SCAN_KINDS = (
    ApplicationFile.Kind.LETTER_SCAN,
    ApplicationFile.Kind.ENVELOPE,
    ApplicationFile.Kind.IDENTITY_PROOF,
)


@transaction.atomic
def application_register(
    *, data: dict, channel: str, received_on: date, actor, scans: dict | None = None
) -> Submitted:
    """Staff register an application received by post, in person, by fax or orally; the receipt
    date follows Art. 31 for the channel and starts the clock at once. ``scans`` maps a kind of
    INTAKE_SCAN_KINDS to its upload (the letter, the envelope, the identity copy): each is
    checked before anything is written, and a refused one registers nothing."""
    agency = data["agency"]
    _require(can_handle(actor, agency))
    if channel == Channel.ONLINE:
        raise ApplicationError(_("网上申请由申请人在线提交。"))
    inspected = {}
    for kind, upload in (scans or {}).items():
        if kind not in INTAKE_SCAN_KINDS:
            raise ApplicationError(_("请选择材料类型。"))
        if upload is not None:
            inspected[kind] = _inspect(upload, getattr(upload, "name", "") or kind)
    submitted = _create(
        agency=agency, data=data, channel=channel, state=ApplicationState.RECEIVED, registered_by=actor,
        assigned_to=actor, received_on=received_on,
    )  # fmt: skip
    application = submitted.application
    _event(application, clock_engine.EventKind.RECEIVED, received_on, actor=actor, basis="《条例》第三十一条")
    for kind, upload in inspected.items():
        row = _store_inspected(application, upload, kind=kind)
        audit_record(actor=actor, action="application_file_add", obj=row, after=_file_snapshot(row))
    _save(application, actor, "application_register", {})
    return submitted


@transaction.atomic
def oral_record_attach(*, application: Application, data, filename: str, actor) -> ApplicationFile:
    """The record of an oral application (口头申请记录, Art. 29), printed, read to the applicant
    and signed by them, kept as a scan with the file."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if application.channel != Channel.ORAL:
        raise ApplicationError(_("只有口头申请需要申请人签字确认的记录。"))
    row = _store_file(application, data=data, filename=filename, kind=ApplicationFile.Kind.ORAL_RECORD)
    audit_record(actor=actor, action="oral_record_attach", obj=row, after=_file_snapshot(row))
    return row


@transaction.atomic
def application_confirm_receipt(
    *, application: Application, on: date, actor, expected_version=None
) -> Application:
    """The office confirms an online application: that date is the receipt date (Art. 31(3))."""
    application = _lock(application, expected_version)
    _require(can_handle(actor, application.agency))
    before = _snapshot(application)
    application.state = _transition(application, "confirm")
    if on < application.submitted_at.astimezone(timezone.get_current_timezone()).date():
        raise ApplicationError(_("确认日期不能早于提交日期。"))
    application.received_on = on
    application.assigned_to = application.assigned_to or actor
    _event(application, clock_engine.EventKind.RECEIVED, on, actor=actor, basis="《条例》第三十一条第三项")
    return _save(application, actor, "application_confirm_receipt", before)


def query_code_digest(code: str) -> str:
    """For tests and imports: a stable digest (never stored; the hash uses Django's hasher)."""
    return hashlib.sha256(code.encode()).hexdigest()
