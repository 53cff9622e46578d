"""A draft decision's page links to its consultation, and the decision taken links back to it
(issue 16 §1: the final decision links to its draft, the draft to its report)."""

import pytest
from django.urls import reverse

from gongkai.catalogue.tests.factories import make_document
from gongkai.consultations import services as consultation_services
from gongkai.consultations.tests.factories import make_consultation
from gongkai.publishing.tests.factories import make_office

pytestmark = pytest.mark.django_db


def page(client, doc) -> str:
    response = client.get(reverse("portal:document", args=[doc.index_no]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_draft_and_the_final_decision_link_to_the_consultation(client):
    office = make_office()
    c = make_consultation(office)
    link = reverse("portal:consultation", args=[c.pk])

    draft_page = page(client, c.draft)
    assert 'id="doc-consultation"' in draft_page and f'href="{link}"' in draft_page
    assert "本文为征求意见稿" in draft_page

    final = make_document(office.agency, "江州市生活垃圾分类管理办法")
    assert 'id="doc-consultation"' not in page(client, final)  # not linked yet: no notice
    consultation_services.consultation_link(
        consultation=c, final_document=final, interpretation=None, actor=office.clerk
    )
    final_page = page(client, final)
    assert f'href="{link}"' in final_page and "本决策经公开征求意见" in final_page
    assert c.draft.title in final_page
