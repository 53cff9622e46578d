"""Issue 17 items 3 and 6 for disclosure on application: letters are scanned before they are
issued (the applicant's own data is expected, anyone else's or a secrecy mark stops the letter
unless the clerk confirms with a reason), the progress page masks other people's data, and the
grounds given to the redactions of a provided file fill the partial disclosure's list of
withheld parts without quoting a redacted value."""

import pymupdf
import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import ApplicationFile, Letter, LetterSequence
from gongkai.applications.progress import application_progress
from gongkai.applications.rules import ApplicantType, Channel, Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
OTHER_ID = "110101199003077571"  # a checksum-valid number of someone else
OTHER_MOBILE = "13987654321"


@pytest.fixture
def office():
    agency = make_agency("江州市教育局")
    return {"agency": agency, "clerk": make_staff(agency, Role.CLERK)}


def register(office):
    data = {
        "agency": office["agency"],
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "name": "张三",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "江州市滨江区江滨路1号",
        "description": f"请公开张三（身份证{ID_NUMBER}，电话13812345678）所在学校的招生计划",
        "form": "electronic",
        "delivery": "email",
    }
    return services.application_register(
        data=data, channel=Channel.POST, received_on=timezone.localdate(), actor=office["clerk"]
    ).application


def pdf(*lines: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    for i, line in enumerate(lines):
        page.insert_text((50, 72 + 20 * i), line)
    return doc.tobytes()


def test_a_letter_carrying_only_the_applicants_own_data_is_issued(office):
    app = register(office)
    letter = services.application_decide(
        application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"], provided_how="电子邮件发送"
    )
    text = "".join(letter.paragraphs)
    assert ID_NUMBER in text and "张三" in text  # the description quotes the applicant's own data
    assert not AuditEvent.objects.filter(action="letter_scan_confirm").exists()


def test_someone_elses_data_stops_the_letter_naming_kind_and_paragraph_never_the_value(office):
    app = register(office)
    before = LetterSequence.objects.filter(agency=office["agency"]).values_list("last", flat=True).first()
    reasons = f"该信息涉及李四（身份证号码{OTHER_ID}，手机{OTHER_MOBILE}）的个人隐私。"
    with pytest.raises(services.ApplicationError) as refused:
        services.application_decide(
            application=app, outcome=Outcome.WITHHELD_THIRD_PARTY, actor=office["clerk"], reasons=reasons
        )
    message = str(refused.value)
    assert "居民身份证号码" in message and "手机号码" in message and "段" in message
    assert OTHER_ID not in message and OTHER_MOBILE not in message and "李四" not in message
    app.refresh_from_db()
    assert app.outcome == "" and not Letter.objects.filter(application=app).exists()
    # the refused letter gave its number back
    assert (
        LetterSequence.objects.filter(agency=office["agency"]).values_list("last", flat=True).first()
        == before
    )


def test_a_secrecy_mark_in_a_letter_stops_it(office):
    app = register(office)
    with pytest.raises(services.ApplicationError, match="密级标志"):
        services.application_decide(
            application=app, outcome=Outcome.WITHHELD_STATE_SECRET, actor=office["clerk"],
            reasons="所申请的《招生工作方案》标有“机密★10年”，属于国家秘密。",
        )  # fmt: skip


def test_the_clerk_may_keep_it_with_a_reason_audited_and_the_public_copy_masks_it(office):
    app = register(office)
    reasons = f"经征求意见，第三方李四同意公开其联系电话{OTHER_MOBILE}，其余部分涉及其个人隐私。"
    letter = services.application_decide(
        application=app, outcome=Outcome.PARTIALLY_DISCLOSED, actor=office["clerk"], reasons=reasons,
        withheld_parts=[("第三方的身份证号码", "涉及个人隐私")], scan_confirm="第三方已书面同意公开联系电话",
    )  # fmt: skip
    assert OTHER_MOBILE in "".join(letter.paragraphs)  # the applicant's letter keeps it
    event = AuditEvent.objects.get(action="letter_scan_confirm", object_id=str(letter.pk))
    assert "第三方已书面同意公开联系电话" in str(event.after) and OTHER_MOBILE not in str(event.after)
    services.letter_deliver(letter=letter, method="email", on=timezone.localdate(), actor=office["clerk"])
    app.refresh_from_db()
    shown = "".join(application_progress(app).reply.paragraphs)
    assert OTHER_MOBILE not in shown and "139****4321" in shown
    # the remedy bodies' addresses are not personal data and stay readable
    agency = office["agency"]
    assert agency.reconsideration_address in shown and agency.court_address in shown


def test_the_third_party_request_may_name_its_addressee(office):
    app = register(office)
    consultation = services.consultation_start(
        application=app, party="third_party", party_name="江州某某科技有限公司", actor=office["clerk"],
        on=timezone.localdate(),
    )  # fmt: skip
    assert consultation.pk and app.letters.filter(kind="third_party_request").exists()


def test_redaction_grounds_fill_the_withheld_parts_without_quoting_a_value(office):
    app = register(office)
    clerk = office["clerk"]
    row = services.provided_file_add(
        application=app, data=pdf(f"Li Si {OTHER_MOBILE}", f"ID {OTHER_ID}", "unit price 1200"),
        filename="名单.pdf", actor=clerk,
        redact=[OTHER_MOBILE, OTHER_ID, ("1200", Outcome.WITHHELD_THIRD_PARTY)],
    )  # fmt: skip
    assert row.redaction_grounds == ["personal_data", "personal_data", "withheld_third_party"]
    letter = services.application_decide(
        application=app, outcome=Outcome.PARTIALLY_DISCLOSED, actor=clerk, reasons="部分内容不予公开",
        provided_how="电子邮件发送",
    )  # fmt: skip
    text = "\n".join(letter.paragraphs)
    assert "“名单.pdf”中遮盖的2处内容：属于他人的个人信息" in text
    assert "“名单.pdf”中遮盖的1处内容：涉及商业秘密、个人隐私等" in text and "第十五条" in text
    assert OTHER_MOBILE not in text and OTHER_ID not in text and "1200" not in text
    event = AuditEvent.objects.filter(action="provided_file_add").latest("pk")
    assert event.after["grounds"] == row.redaction_grounds and OTHER_MOBILE not in str(event.after)


def test_a_partial_disclosure_without_redactions_or_listed_parts_is_still_refused(office):
    app = register(office)
    services.provided_file_add(
        application=app, data=pdf("all of it"), filename="全文.pdf", redact=[], actor=office["clerk"]
    )
    with pytest.raises(services.ApplicationError, match="第三十七条"):
        services.application_decide(
            application=app,
            outcome=Outcome.PARTIALLY_DISCLOSED,
            actor=office["clerk"],
            reasons="部分不予公开",
        )


def test_an_unknown_ground_is_refused_and_nothing_is_stored(office):
    app = register(office)
    with pytest.raises(services.ApplicationError, match="依据"):
        services.provided_file_add(
            application=app, data=pdf(OTHER_MOBILE), filename="名单.pdf", actor=office["clerk"],
            redact=[(OTHER_MOBILE, "because")],
        )  # fmt: skip
    assert not ApplicationFile.objects.filter(application=app).exists()


def test_what_the_applicant_wrote_in_the_request_does_not_stop_letters_to_them(office):
    app = register(office)
    app.description = f"请公开关于李四（身份证号码{OTHER_ID}）的“内部资料”处理结果"
    app.save(update_fields=["description"])
    letter = services.application_decide(
        application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"], provided_how="电子邮件发送"
    )
    assert OTHER_ID in "".join(letter.paragraphs)
    # a clerk's own words naming someone else still stop a letter that has no confirmation field
    with pytest.raises(services.ApplicationError) as refused:
        services.correction_request(
            application=register(office), items=[f"请说明您与王五（电话{OTHER_MOBILE}）的关系"],
            days=10, actor=office["clerk"], on=timezone.localdate(),
        )  # fmt: skip
    assert "手机号码" in str(refused.value) and "保留理由" not in str(refused.value)
