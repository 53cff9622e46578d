"""Applications of one agency in each state the staff pages need, made through the services as
staff and applicants make them."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pymupdf
import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Consultation
from gongkai.applications.rules import ApplicantType, Channel, Outcome
from gongkai.publishing.tests.factories import Office, make_office, make_staff

ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"


def applicant(agency, **overrides) -> dict:
    values = {
        "agency": agency,
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "name": "张三",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": MOBILE,
        "email": "zhangsan@example.com",
        "address": "江州市滨江区江滨路1号",
        "description": "2025年江州市义务教育阶段学校招生计划",
        "form": "electronic",
        "delivery": "email",
    }
    values.update(overrides)
    return values


def register(office: Office, received_on=None, channel=Channel.POST, **overrides):
    return services.application_register(
        data=applicant(office.agency, **overrides),
        channel=channel,
        received_on=received_on or timezone.localdate(),
        actor=office.clerk,
    ).application


def submit_online(office: Office, **overrides):
    return services.application_submit_online(data=applicant(office.agency, **overrides)).application


def sample_pdf(text: str = f"Name: Zhang San, phone {MOBILE}") -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((50, 72), text)
    return doc.tobytes()


def pdf_text(data: bytes) -> str:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return "".join(page.get_text() for page in doc)


@dataclass
class AppWorld:
    a: Office
    b: Office
    outsider: object  # every role on agency B, none on A
    submitted: object  # online, waiting for confirmation
    received: object  # registered by post today, with a provided file
    provided: object
    awaiting: object  # correction requested
    consulting: object  # a third party consulted
    consultation: object
    with_fee: object  # an unpaid fee notice
    fee: object
    decided: object  # disclosed, reply not yet delivered
    reply: object
    case: object  # a reconsideration of the decided application, without a result yet
    lapsed: object  # the applicant let the correction period run out


@pytest.fixture(name="apps")
def apps_fixture(db) -> AppWorld:
    """Import ``apps_fixture`` into a test module to use the ``apps`` fixture."""
    a = make_office("江州市教育局")
    b = make_office("江州市财政局")
    outsider = make_staff(b.agency, Role.CLERK, Role.REVIEWER, Role.OFFICE_HEAD, Role.LEADER, Role.SUPERVISOR)
    clerk = a.clerk
    received = register(a)
    provided = services.provided_file_add(
        application=received, data=sample_pdf(), filename="招生计划.pdf", redact=[], actor=clerk
    )
    awaiting = register(a, description="关于某小学扩建的批复")
    services.correction_request(application=awaiting, items=["请写明文号"], days=10, actor=clerk)
    consulting = register(a, description="某公司中标合同")
    consultation = services.consultation_start(
        application=consulting, party=Consultation.Party.THIRD_PARTY, party_name="江州某某科技有限公司",
        on=timezone.localdate(), actor=clerk,
    )  # fmt: skip
    with_fee = register(a, description="全市学校食堂检查记录")
    fee = services.fee_notice_send(
        application=with_fee, method="per_volume", amount=Decimal("10.00"), pages=31, actor=clerk
    )
    decided = register(a, description="2026年教育经费预算")
    reply = services.application_decide(application=decided, outcome=Outcome.DISCLOSED, actor=clerk)
    case = services.remedy_case_record(
        application=decided, kind="reconsideration", filed_on=timezone.localdate(), actor=clerk
    )
    long_ago = timezone.localdate() - timedelta(days=90)
    lapsed = register(a, received_on=long_ago, description="校车采购合同")
    services.correction_request(
        application=lapsed, items=["请写明合同名称"], days=5, on=long_ago + timedelta(days=1), actor=clerk
    )
    services.notice_receipt_record(  # the applicant's 5 days run from the return receipt
        application=lapsed, notice="correction", on=long_ago + timedelta(days=3), method="post", actor=clerk
    )
    return AppWorld(
        a=a,
        b=b,
        outsider=outsider,
        submitted=submit_online(a, description="某中学体育馆建设项目环评"),
        received=received,
        provided=provided,
        awaiting=awaiting,
        consulting=consulting,
        consultation=consultation,
        with_fee=with_fee,
        fee=fee,
        decided=decided,
        reply=reply,
        case=case,
        lapsed=lapsed,
    )
