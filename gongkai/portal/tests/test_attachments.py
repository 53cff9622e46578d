"""Attachment downloads: the stored bytes, served as a download under the original (Chinese)
name, never rendered by the browser, and only for public documents."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from gongkai.catalogue.attachments import attachment_add

from . import builders

pytestmark = pytest.mark.django_db

DATA = "序号\t项目名称\n1\t东湖安居苑\n".encode()
NAME = "2024年项目清单.txt"


@pytest.fixture
def attached():
    doc = builders.document(builders.agency(), "关于公布2024年项目清单的通知")
    return doc, attachment_add(document=doc, data=DATA, filename=NAME, title="项目清单")


def download(client, att):
    return client.get(reverse("portal:attachment", args=[att.pk]))


def test_download_has_the_stored_bytes_and_safe_headers(client, attached):
    _doc, att = attached
    response = download(client, att)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DATA
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(NAME)}" in disposition  # RFC 5987
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Content-Type"].startswith("text/plain")


def test_document_page_links_the_attachment_with_its_title_and_size(client, attached):
    doc, att = attached
    html = client.get(reverse("portal:document", args=[doc.index_no])).content.decode()
    assert reverse("portal:attachment", args=[att.pk]) in html
    assert "项目清单" in html and "TXT" in html


@pytest.mark.parametrize("make_private", [builders.withdraw, builders.mark_on_application])
def test_attachment_of_a_document_that_is_not_public_is_404(client, attached, make_private):
    doc, att = attached
    make_private(doc)
    assert download(client, att).status_code == 404


def test_attachment_of_an_unpublished_document_is_404(client):
    draft = builders.document(builders.agency(), "草稿", publish=False)
    att = attachment_add(document=draft, data=DATA, filename=NAME)
    assert download(client, att).status_code == 404


def test_unknown_attachment_is_404(client, db):
    assert client.get(reverse("portal:attachment", args=[999999])).status_code == 404
