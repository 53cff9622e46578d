"""The reply shown on the public progress page and in the API names nobody (issue 10, §6): the
applicant's name is masked however its whitespace was typed or printed (repeated spaces,
tabs, non-breaking and ideographic spaces, or none)."""

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Letter
from gongkai.applications.personal_data import mask_values, normalise_spaces
from gongkai.applications.progress import application_progress
from gongkai.applications.rules import Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.workbench.tests.applications_world import applicant

NAMES_AND_PRINTINGS = [
    ("张  三", ["张  三", "张 三", "张三", "张\t三", "张\u00a0三"]),
    ("张\t三", ["张\t三", "张 三", "张三"]),
    ("张\u00a0\u00a0三", ["张 三", "张三", "张\u00a0三"]),
    ("Zhang   San", ["Zhang San", "Zhang\u00a0San", "Zhang\tSan", "Zhang\u3000San"]),
    (" 李四\u3000", ["李四", "李 四"]),
]


@pytest.mark.parametrize("name,printings", NAMES_AND_PRINTINGS)
def test_mask_values_finds_the_name_whatever_its_whitespace(name, printings):
    for printed in printings:
        text = f"{printed}：您好。{printed}申请的信息予以公开。"
        masked = mask_values(text, [(name, "申请人")])
        assert normalise_spaces(name).replace(" ", "") not in masked.replace(" ", "")
        assert masked.count("申请人") == 2, (name, printed, masked)


def test_normalise_spaces():
    assert normalise_spaces(" 张\t\u00a0三\u3000 ") == "张 三"


@pytest.mark.django_db
@pytest.mark.parametrize("name,printings", NAMES_AND_PRINTINGS)
def test_the_public_reply_masks_the_applicants_name_however_spaced(name, printings):
    agency = make_agency("江州市住房和城乡建设局")
    clerk = make_staff(agency, Role.CLERK)
    application = services.application_submit_online(data=applicant(agency, name=name)).application
    application = services.application_confirm_receipt(
        application=application, on=timezone.localdate(), actor=clerk
    )
    letter = services.application_decide(application=application, outcome=Outcome.DISCLOSED, actor=clerk)
    paragraphs = [f"{printed}：" for printed in printings] + [
        f"经审查，{p}所申请的信息予以公开。" for p in printings
    ]
    Letter.objects.filter(pk=letter.pk).update(paragraphs=paragraphs)
    letter.refresh_from_db()
    services.letter_deliver(letter=letter, method="email", on=timezone.localdate(), actor=clerk)
    application.refresh_from_db()
    reply = application_progress(application).reply
    assert reply is not None
    shown = "".join(reply.paragraphs)
    core = normalise_spaces(name).replace(" ", "")
    assert core not in shown.replace(" ", "").replace("\t", "").replace("\u00a0", "").replace("\u3000", "")
    assert shown.count("申请人") >= 2 * len(printings)
