import hashlib
import io
import os
import re
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from gongkai.catalogue.attachments import (
    AttachmentError,
    attachment_add,
    attachment_remove,
    attachment_sweep_orphans,
)
from gongkai.catalogue.models import Attachment
from gongkai.catalogue.tests import samples
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.core.files import extract, kinds
from gongkai.core.models import AuditEvent
from gongkai.search.services import SearchQuery, search_documents


def found(phrase: str) -> list[str]:
    return [hit.document.title for hit in search_documents(SearchQuery(q=phrase)).hits]


@pytest.fixture
def document(db):
    return make_document(make_agency(), "关于附件检索的通知", "正文只有这一句。")


# ---------------------------------------------------------------- every type is found by its text

SEARCHABLE = [
    ("通知.pdf", lambda: samples.make_pdf("关于鹭岛海藻养殖补贴的通知", "第二页内容"), "鹭岛海藻养殖"),
    (
        "方案.docx",
        lambda: samples.make_docx("总体要求", table=[["项目", "金额"], ["红树林湿地修复", "120万元"]]),
        "红树林湿地修复",
    ),
    ("预算.xlsx", lambda: samples.make_xlsx([["科目", "金额"], ["渔港避风塘清淤", 3500]]), "渔港避风塘清淤"),
    ("公告.ofd", lambda: samples.make_ofd(["第一页"], ["茶园梯田灌溉工程公告"]), "茶园梯田灌溉工程"),
    ("说明.txt", lambda: "城区公交线网优化说明".encode("gb18030"), "城区公交线网优化"),
    ("说明-utf8.txt", lambda: "\ufeff山区学校午餐补助说明".encode(), "山区学校午餐补助"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("filename", "build", "phrase"), SEARCHABLE, ids=[s[0] for s in SEARCHABLE])
def test_attachment_text_makes_its_document_searchable(document, filename, build, phrase):
    assert found(phrase) == []
    attachment = attachment_add(document=document, data=build(), filename=filename)
    assert phrase in attachment.text
    assert found(phrase) == ["关于附件检索的通知"]


@pytest.mark.django_db(transaction=True)
def test_removed_attachment_is_no_longer_searchable_and_its_file_is_deleted(document):
    attachment = attachment_add(
        document=document, data=samples.make_docx("沿海防护林带补植计划"), filename="a.docx"
    )
    path, pk = attachment.file.path, attachment.pk
    assert found("防护林带补植") == ["关于附件检索的通知"]
    attachment_remove(attachment=attachment, actor=None)
    assert found("防护林带补植") == []
    assert not os.path.exists(path)
    assert AuditEvent.objects.filter(action="attachment_remove", object_id=str(pk)).exists()


def test_docx_text_includes_table_cells_and_nested_order(document):
    data = samples.make_docx("第一段", "第二段", table=[["甲", "乙"], ["丙", "丁"]])
    text = attachment_add(document=document, data=data, filename="x.docx").text
    assert text.split("\n") == ["第一段", "第二段", "甲", "乙", "丙", "丁"]


def test_ofd_text_follows_page_order_and_joins_text_code_runs(document):
    data = samples.make_ofd(["第一页的标题"], ["第二页的正文"])
    assert attachment_add(document=document, data=data, filename="x.ofd").text == "第一页的标题\n第二页的正文"


def test_doc_xls_and_images_are_accepted_by_content_without_text(document):
    cases = [
        ("旧公文.doc", samples.make_ole2("WordDocument"), "application/msword"),
        ("旧报表.xls", samples.make_ole2("Workbook"), "application/vnd.ms-excel"),
        ("图.png", samples.make_png(), "image/png"),
        ("照片.JPG", samples.make_jpeg(), "image/jpeg"),
        ("动图.gif", b"GIF89a\x02\x00\x02\x00\x00\x00\x00;", "image/gif"),
    ]
    for name, data, content_type in cases:
        attachment = attachment_add(document=document, data=data, filename=name)
        assert (attachment.content_type, attachment.text) == (content_type, "")


# ---------------------------------------------------------------- storage and metadata


def test_stored_name_is_random_and_the_uploaded_name_is_only_metadata(document, settings):
    attachment = attachment_add(
        document=document, data=samples.make_pdf("正文"), filename="C:\\fakepath\\..\\..\\报告 (终稿).pdf"
    )
    assert attachment.original_name == "报告 (终稿).pdf"
    assert attachment.title == "报告 (终稿)"
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", attachment.storage_name)
    assert attachment.file.name == f"attachments/{attachment.storage_name}"
    assert os.path.dirname(attachment.file.path) == os.path.join(settings.MEDIA_ROOT, "attachments")


def test_attachment_records_size_hash_and_audit(document):
    data = samples.make_docx("内容")
    attachment = attachment_add(document=document, data=io.BytesIO(data), filename="a.docx", title="实施方案")
    assert attachment.title == "实施方案"
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.file.read() == data
    event = AuditEvent.objects.get(action="attachment_add")
    assert event.after["sha256"] == attachment.sha256 and event.object_id == str(attachment.pk)


def test_same_file_twice_on_one_document_is_refused(document):
    data = samples.make_docx("内容")
    attachment_add(document=document, data=data, filename="a.docx")
    with pytest.raises(AttachmentError, match="已是本文件的附件"):
        attachment_add(document=document, data=data, filename="b.docx")


# ---------------------------------------------------------------- refusals


def test_pdf_that_is_really_a_docx_is_refused(document):
    with pytest.raises(AttachmentError, match="内容与扩展名不符.*Word 文档（DOCX）"):
        attachment_add(document=document, data=samples.make_docx("内容"), filename="伪装.pdf")
    assert not Attachment.objects.exists()


def test_docx_that_is_a_plain_zip_is_refused(document):
    data = samples.zip_with({"readme.txt": b"hello"})
    with pytest.raises(AttachmentError, match="内容与扩展名不符.*ZIP 压缩包"):
        attachment_add(document=document, data=data, filename="a.docx")


def test_unsupported_extension_is_refused(document):
    with pytest.raises(AttachmentError, match="不支持“.exe”"):
        attachment_add(document=document, data=b"MZ\x90\x00", filename="setup.exe")


def test_macro_enabled_office_file_is_refused(document):
    data = samples.zip_with(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<d/>", "word/vbaProject.bin": b"x"}
    )
    with pytest.raises(AttachmentError, match="宏"):
        attachment_add(document=document, data=data, filename="a.docx")


def test_oversize_file_is_refused_before_reading_it_all(document, settings):
    settings.GONGKAI_MAX_ATTACHMENT_BYTES = 1000
    stream = io.BytesIO(b"x" * 5000)
    with pytest.raises(AttachmentError, match="超过大小上限 1000 B"):
        attachment_add(document=document, data=stream, filename="a.txt")
    assert stream.tell() == 1001
    upload = SimpleUploadedFile("a.txt", b"x" * 5000)
    with pytest.raises(AttachmentError, match="超过大小上限"):
        attachment_add(document=document, data=upload, filename=upload.name)
    assert upload.tell() == 0  # refused on its declared size, unread


def test_empty_file_is_refused(document):
    with pytest.raises(AttachmentError, match="文件为空"):
        attachment_add(document=document, data=b"", filename="a.txt")


def test_encrypted_pdf_is_refused_with_the_reason(document):
    data = samples.make_pdf("机密内容", user_password="secret")
    with pytest.raises(AttachmentError, match="PDF 文件已加密，需要密码才能打开"):
        attachment_add(document=document, data=data, filename="a.pdf")


def test_pdf_with_only_an_owner_password_is_read(document):
    data = samples.make_pdf("仅限制打印的文件", owner_password="owner")
    assert attachment_add(document=document, data=data, filename="a.pdf").text == "仅限制打印的文件"


def test_corrupt_pdf_is_refused_with_the_reason(document):
    data = samples.make_pdf("内容")
    with pytest.raises(AttachmentError, match=r"PDF 文件已损坏或格式不规范，无法读取（\w+"):
        attachment_add(document=document, data=data[: len(data) // 2], filename="a.pdf")


def test_corrupt_docx_is_refused(document):
    broken_xml = samples.zip_with({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"})
    with pytest.raises(AttachmentError, match="Word 文档（DOCX）已损坏"):
        attachment_add(document=document, data=broken_xml, filename="a.docx")
    truncated = samples.make_docx("内容")[:2000]
    with pytest.raises(AttachmentError, match="Word 文档（DOCX）已损坏"):
        attachment_add(document=document, data=truncated, filename="b.docx")


def test_zip_bomb_is_refused_by_its_compression_ratio(document):
    bomb = samples.make_zip_bomb(member_bytes=50 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    with pytest.raises(AttachmentError, match="压缩炸弹"):
        attachment_add(document=document, data=bomb, filename="a.docx")


def test_zip_bomb_spread_over_many_small_members_is_refused_by_total_size(document, monkeypatch):
    monkeypatch.setattr(kinds, "MAX_ZIP_UNCOMPRESSED_BYTES", 8 * 1024 * 1024)
    bomb = samples.make_zip_bomb(member_bytes=1024 * 1024, members=10)  # each under the ratio floor
    with pytest.raises(AttachmentError, match="解压后超过 8 MB"):
        attachment_add(document=document, data=bomb, filename="a.docx")


def test_image_bomb_is_refused_by_its_declared_size(document):
    with pytest.raises(AttachmentError, match="图片尺寸过大（50000×50000 像素）"):
        attachment_add(document=document, data=samples.make_png(50000, 50000), filename="a.png")


def test_ofd_with_a_dtd_is_refused(document):
    data = samples.make_ofd(["正文"])
    laughs = samples.zip_with(
        {"OFD.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><OFD>&a;</OFD>'}
    )
    assert attachment_add(document=document, data=data, filename="a.ofd").text == "正文"
    with pytest.raises(AttachmentError, match="DOCTYPE"):
        attachment_add(document=document, data=laughs, filename="b.ofd")


def test_extracted_text_is_capped(document):
    data = ("政务公开" * 300_000).encode()  # 3.6 MB of UTF-8
    attachment = attachment_add(document=document, data=data, filename="long.txt")
    assert 0 < len(attachment.text.encode()) <= extract.MAX_TEXT_BYTES
    assert AuditEvent.objects.get(action="attachment_add").after["text_truncated"] is True


# ---------------------------------------------------------------- files follow the transaction


def stored_files() -> list[str]:
    try:
        return default_storage.listdir("attachments")[1]
    except FileNotFoundError:
        return []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_upload_leaves_no_row_and_its_file_is_swept(document):
    with pytest.raises(RuntimeError), transaction.atomic():
        attachment = attachment_add(document=document, data=samples.make_docx("内容"), filename="a.docx")
        raise RuntimeError("the caller's transaction fails after the upload")
    assert not Attachment.objects.exists()
    assert attachment_sweep_orphans(older_than=timedelta(0)) == [attachment.file.name]
    assert stored_files() == []


@pytest.mark.django_db(transaction=True)
def test_a_failed_row_write_deletes_the_file_at_once(document, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("gongkai.catalogue.attachments.audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        attachment_add(document=document, data=samples.make_docx("内容"), filename="a.docx")
    assert stored_files() == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_commit_hook_does_not_delete_a_committed_file(document):
    def failing_hook():
        raise RuntimeError("a notification failed after the commit")

    def upload_then_fail_after_commit():
        try:
            with transaction.atomic():
                transaction.on_commit(failing_hook)
                return attachment_add(document=document, data=samples.make_docx("内容"), filename="a.docx")
        except RuntimeError:
            pass

    upload_then_fail_after_commit()
    attachment = Attachment.objects.get()
    assert os.path.exists(attachment.file.path)


def test_sweep_deletes_old_orphans_only(document):
    attachment = attachment_add(document=document, data=samples.make_docx("内容"), filename="a.docx")
    old = default_storage.save("attachments/" + "a" * 32 + ".pdf", io.BytesIO(b"%PDF-"))
    fresh = default_storage.save("attachments/" + "b" * 32 + ".pdf", io.BytesIO(b"%PDF-"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    os.utime(attachment.file.path, (two_days_ago, two_days_ago))
    assert attachment_sweep_orphans() == [old]
    assert sorted(stored_files()) == sorted([attachment.storage_name, os.path.basename(fresh)])
    assert attachment_sweep_orphans(older_than=timedelta(0)) == [fresh]
