"""Issue 17, fewer false alarms: the directory's own contact details and companies' credit codes
are not findings, and a reviewer settles every finding of one value at once."""

import pytest

from gongkai.agencies.models import DisclosureOffice, ReadingPoint
from gongkai.agencies.selectors import public_contact_values
from gongkai.core.checksums import org_code_check_char, uscc_check_char
from gongkai.core.models import AuditEvent
from gongkai.publishing.models import FindingDecision
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import NotPermitted, PublishingError, submission_decide, submission_submit
from gongkai.publishing.settlement import findings_settle_value

from .factories import draft, make_office

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
ORG = "12345678" + org_code_check_char("12345678")
USCC = "91340100" + ORG + uscc_check_char("91340100" + ORG)


@pytest.fixture
def office():
    office = make_office()
    DisclosureOffice.objects.create(
        agency=office.agency,
        name="江州市教育局办公室",
        phone="0551-62999999",
        fax="0551-62999998",
        email="jyj@jz.gov.cn",
        address="安徽省江州市滨湖区紫云路100号",
    )
    point = ReadingPoint.objects.create(name="江州市档案馆", kind="archive", phone="0551-63888888")
    point.agencies.add(office.agency)
    return office


NOTICE = (
    "江州市教育局关于2026年民办学校年检结果的公告\n"
    f"江州市某某教育咨询有限公司（统一社会信用代码：{USCC}）年检合格。\n"
    "如有异议，请于公示期内反映。联系电话：0551－62999999（传真：(0551)62999998），"
    "电子邮箱：JYJ@jz.gov.cn，地址：江州市滨湖区紫云路100号教育局3楼；查阅点电话63888888。\n"
    f"举报人手机：{MOBILE}；另一联系人手机：139 1234 5678。"
)


def test_the_directory_publishes_its_offices_and_reading_points_contact_details(office):
    values = public_contact_values()
    assert {"0551-62999999", "0551-62999998", "jyj@jz.gov.cn", "0551-63888888"} <= values
    assert "安徽省江州市滨湖区紫云路100号" in values and "" not in values


def test_the_agencys_own_contacts_and_a_companys_credit_code_are_not_findings(office):
    sub = submission_submit(submission=draft(office, body=NOTICE), actor=office.clerk)
    # Only the two spellings of the citizen's mobile remain (before issue 17: eight findings).
    assert sorted(f.kind for f in sub.findings.all()) == ["mobile", "mobile"]


def test_a_reviewer_settles_every_finding_of_one_value_at_once(office):
    body = f"{NOTICE}\n再次提醒：举报人手机{MOBILE}，身份证号码见附件。"
    sub = submission_submit(submission=draft(office, body=body), actor=office.clerk)
    sub = submission_decide(submission=sub, actor=office.unit_head, decision=Decision.APPROVE)
    mobiles = list(sub.findings.filter(kind="mobile"))
    assert len(mobiles) == 3
    with pytest.raises(NotPermitted):
        findings_settle_value(
            submission=sub, kind="mobile", value=MOBILE, actor=office.clerk, decision=FindingDecision.REDACT
        )
    with pytest.raises(PublishingError, match="理由"):
        findings_settle_value(
            submission=sub,
            kind="mobile",
            value=MOBILE,
            actor=office.office_head,
            decision=FindingDecision.KEEP,
        )
    settled = findings_settle_value(
        submission=sub,
        kind="mobile",
        value="+86 139-1234-5678",  # any spelling of the value
        actor=office.office_head,
        decision=FindingDecision.REDACT,
    )
    assert len(settled) == 3
    assert set(sub.findings.values_list("decision", flat=True)) == {FindingDecision.REDACT}
    events = AuditEvent.objects.filter(action="finding_settle")
    assert events.count() == 3 and all(e.after["by_value"] == 3 for e in events)
    assert all(MOBILE not in str(e.after) for e in events)  # the audit trail holds masked excerpts
    sub.refresh_from_db()
    sub = submission_decide(submission=sub, actor=office.office_head, decision=Decision.APPROVE)
    sub = submission_decide(submission=sub, actor=office.leader, decision=Decision.APPROVE)
    sub.document.refresh_from_db()
    assert MOBILE not in sub.document.body
    assert "139 1234 5678" not in sub.document.body
    assert "0551－62999999" in sub.document.body  # the agency's own number is published as written
