"""The document page: every catalogue field, the body, validity links both ways, linked
interpretations, and nothing that is not public."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.catalogue.models import Document, Validity
from gongkai.catalogue.services import document_set_clarifies, document_set_validity, interpretation_link

from . import builders

pytestmark = pytest.mark.django_db


def page(client, doc):
    response = client.get(reverse("portal:document", args=[doc.index_no]))
    return response, response.content.decode()


def test_index_numbers_with_slashes_resolve_to_the_document(client):
    doc = builders.document(builders.agency(), "关于公布行政许可事项清单的通知")
    assert "/" in doc.index_no
    response, html = page(client, doc)
    assert response.status_code == 200
    assert "关于公布行政许可事项清单的通知" in html and doc.index_no in html


def test_all_metadata_is_shown(client):
    city = builders.agency()
    partner = builders.agency("江川市财政局", parent=city, level="department")
    doc = builders.document(
        city,
        "江川市人民政府关于印发财政专项资金管理办法的通知",
        "第一条 为规范财政专项资金管理，制定本办法。\n第二条 本办法适用于市级财政专项资金。",
        doc_no="江府发〔2024〕7号",
        written_on=date(2024, 2, 3),
        effective_on=date(2024, 3, 1),
        expires_on=date(2029, 2, 28),
        subject_id=builders.subject("专项资金", parent=builders.subject("财政、金融、审计")).pk,
        genre_id=builders.genre("规范性文件").pk,
        summary="规范财政专项资金的设立、分配和监督。",
        keywords="财政 专项资金 管理",
        issuers=[city.code, partner.code],
    )
    response, html = page(client, doc)
    for text in (
        "索引号",
        doc.index_no,
        "发布机关",
        "江川市人民政府",
        "江川市财政局",
        "联合发文",
        "财政、金融、审计 / 专项资金",
        "规范性文件",
        "江府发〔2024〕7号",
        "2024年2月3日",
        "施行日期",
        "2024年3月1日",
        "废止日期",
        "2029年2月28日",
        "有效性",
        "有效",
        "公开方式",
        "内容概述",
        "规范财政专项资金的设立、分配和监督。",
        "主题词",
        "财政 专项资金 管理",
    ):
        assert text in html, text
    assert "<p>第一条 为规范财政专项资金管理，制定本办法。</p>" in html
    assert "<p>第二条 本办法适用于市级财政专项资金。</p>" in html


def test_year_only_date_of_creation_shows_only_the_year(client):
    doc = builders.document(
        builders.agency(), "1954年政府工作报告", written_on=date(1954, 1, 1), written_on_precision="year"
    )
    _, html = page(client, doc)
    assert "<td>1954年</td>" in html
    assert "1954年1月1日" not in html


def test_body_text_is_escaped(client):
    doc = builders.document(builders.agency(), "转义测试", "<script>alert(1)</script>正文")
    _, html = page(client, doc)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;正文" in html


def test_repealed_document_links_to_its_replacement_and_back(client):
    city = builders.agency()
    old = builders.document(city, "江川市城市绿化管理办法（2012年）")
    new = builders.document(city, "江川市城市绿化管理办法")
    document_set_validity(document=old, validity=Validity.REPEALED, replaced_by=new)
    _, old_html = page(client, old)
    assert "废止" in old_html and "已被以下文件废止" in old_html
    assert reverse("portal:document", args=[new.index_no]) in old_html
    _, new_html = page(client, new)
    assert "本文件废止或修改了" in new_html
    assert reverse("portal:document", args=[old.index_no]) in new_html


def test_a_replacement_that_is_not_public_is_not_linked(client):
    city = builders.agency()
    old = builders.document(city, "旧办法")
    draft = builders.document(city, "尚未公开的新办法", publish=False)
    document_set_validity(document=old, validity=Validity.AMENDED, replaced_by=draft)
    _, html = page(client, old)
    assert "已修改" in html
    assert "尚未公开的新办法" not in html


def test_interpretations_are_linked_both_ways(client):
    city = builders.agency()
    policy = builders.document(city, "关于加快发展保障性租赁住房的实施意见")
    reading = builders.document(city, "《关于加快发展保障性租赁住房的实施意见》政策解读")
    interpretation_link(interpretation=reading, policy=policy)
    _, policy_html = page(client, policy)
    assert "政策解读" in policy_html and reverse("portal:document", args=[reading.index_no]) in policy_html
    _, reading_html = page(client, reading)
    assert "解读的文件" in reading_html and reverse("portal:document", args=[policy.index_no]) in reading_html


def test_clarifications_are_linked_both_ways(client):
    city = builders.agency()
    original = builders.document(city, "关于某路段封闭施工的公告")
    clarification = builders.document(city, "关于某路段封闭施工公告的澄清说明")
    document_set_clarifies(document=clarification, clarifies=original)
    _, original_html = page(client, original)
    assert "本信息已发布澄清说明" in original_html
    assert reverse("portal:document", args=[clarification.index_no]) in original_html
    _, clarification_html = page(client, clarification)
    assert "本文是对以下信息的澄清" in clarification_html
    assert reverse("portal:document", args=[original.index_no]) in clarification_html


@pytest.mark.parametrize("make_private", [builders.withdraw, builders.mark_on_application])
def test_documents_that_are_not_public_are_404(client, make_private):
    doc = builders.document(builders.agency(), "将不公开的文件")
    make_private(doc)
    response, html = page(client, doc)
    assert response.status_code == 404
    assert "将不公开的文件" not in html


def test_internal_document_is_404(client):
    draft = builders.document(builders.agency(), "内部草稿", publish=False)
    draft.index_no = "900000019/2024-99999"  # as if numbered but never published
    draft.save(update_fields=["index_no"])
    assert client.get(reverse("portal:document", args=[draft.index_no])).status_code == 404


def test_document_page_query_count_does_not_grow_with_links(client, django_assert_max_num_queries):
    city = builders.agency()
    policy = builders.document(city, "政策")
    partners = []
    for i in range(5):
        reading = builders.document(city, f"解读{i}")
        interpretation_link(interpretation=reading, policy=policy)
        old = builders.document(city, f"旧文件{i}")
        document_set_validity(document=old, validity=Validity.REPEALED, replaced_by=policy)
        partners.append(builders.agency(f"联合发文机关{i}").code)
    Document.objects.filter(pk=policy.pk).update(issuers=[city.code, *partners])
    # 8 for the page and its links, 1 for the consultation a draft or a decision belongs to.
    with django_assert_max_num_queries(9):
        response, _ = page(client, policy)
    assert response.status_code == 200
