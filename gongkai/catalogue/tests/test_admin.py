from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.agencies.models import AgencyLevel, ReadingPoint, Role, StaffRole
from gongkai.catalogue.attachments import attachment_add
from gongkai.catalogue.models import (
    Attachment,
    Document,
    DocumentImport,
    Genre,
    IndexNumberScheme,
    Subject,
    Validity,
    Visibility,
)
from gongkai.catalogue.tests import samples
from gongkai.catalogue.tests.factories import make_agency, make_document, publish_imported
from gongkai.core.audit import audit_record
from gongkai.core.models import AuditEvent, CalendarDay, HolidayNotice
from gongkai.search.services import SearchQuery, search_documents

NO_ATTACHMENT_FORMS = {
    "attachments-TOTAL_FORMS": "0",
    "attachments-INITIAL_FORMS": "0",
    "attachments-MIN_NUM_FORMS": "0",
    "attachments-MAX_NUM_FORMS": "1000",
}


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def found(phrase: str) -> list[str]:
    return [hit.document.title for hit in search_documents(SearchQuery(q=phrase)).hits]


def document_form(agency, **changes) -> dict:
    data = {
        "agency": agency.pk,
        "title": "关于推进政务公开标准化的通知",
        "doc_no": "测政发〔2024〕3号",
        "written_on": "2024-03-01",
        "written_on_precision": "day",
        "validity": Validity.IN_FORCE,
        "body": "各区人民政府：现就标准化工作通知如下。",
        **NO_ATTACHMENT_FORMS,
        "_save": "保存",
    }
    data.update(changes)
    return data


def assert_saved(response):
    if response.status_code != 302:
        form = response.context["adminform"].form
        raise AssertionError(f"admin did not save: {form.errors} {response.context.get('errors')}")


@pytest.fixture
def objects(db):
    """One object of every model registered by the project's apps."""
    agency = make_agency("测试市人民政府", level=AgencyLevel.CITY)
    document = make_document(agency, "关于测试的通知")
    attachment_add(document=document, data=samples.make_docx("附件正文"), filename="附件.docx")
    point = ReadingPoint.objects.create(name="测试市档案馆", kind=ReadingPoint.Kind.ARCHIVE)
    point.agencies.add(agency)
    user = User.objects.create_user("clerk", password="x-unused-password")
    top = Subject.objects.create(name="综合政务（测试）")
    notice = HolidayNotice.objects.create(year=2099, source="测试用通知")
    return {
        "holidaynotice": notice,
        "calendarday": CalendarDay.objects.create(notice=notice, date=date(2099, 1, 1), kind="holiday"),
        "agency": agency,
        "document": document,
        "documentimport": document.imported_from,
        "indexnumberscheme": IndexNumberScheme.objects.create(agency=agency, pattern="{code}/{year}-{seq:5}"),
        "readingpoint": point,
        "staffrole": StaffRole.objects.create(user=user, agency=agency, role=Role.CLERK),
        "subject": Subject.objects.create(name="政务公开", parent=top),
        "genre": Genre.objects.create(name="通知（测试）"),
        "auditevent": audit_record(actor=None, action="test", obj=agency),
    }


def project_models():
    return [m for m in admin.site._registry if m._meta.app_label in ("core", "agencies", "catalogue")]


def test_every_project_model_is_registered():
    names = {m._meta.model_name for m in project_models()}
    assert names == {
        *("agency", "readingpoint", "staffrole", "subject", "genre", "document", "auditevent"),
        *("holidaynotice", "calendarday", "documentimport", "indexnumberscheme"),
    }


def test_admin_opens_changelist_add_and_change_pages_of_every_model(admin_client, objects):
    for model in project_models():
        name = model._meta.model_name
        assert admin_client.get(url(model, "changelist")).status_code == 200, name
        assert admin_client.get(url(model, "changelist"), {"q": "测试"}).status_code == 200, name
        expected_add = 403 if model in (AuditEvent, HolidayNotice, DocumentImport) else 200
        assert admin_client.get(url(model, "add")).status_code == expected_add, name
        assert admin_client.get(url(model, "change", objects[name].pk)).status_code == 200, name


def test_site_header_is_chinese(admin_client):
    assert "政府信息公开平台 管理后台" in admin_client.get(reverse("admin:index")).content.decode()


def test_document_change_page_lists_attachments_read_only(admin_client, objects):
    page = admin_client.get(url(Document, "change", objects["document"].pk)).content.decode()
    assert "附件.docx" in page
    assert 'name="attachments-0-title"' not in page


# ---------------------------------------------------------------- documents go through the services


@pytest.mark.django_db(transaction=True)
def test_saving_a_document_in_the_admin_audits_it_and_makes_it_searchable(admin_client, admin_user):
    agency = make_agency()
    response = admin_client.post(url(Document, "add"), document_form(agency))
    assert_saved(response)
    document = Document.objects.get()
    assert document.visibility == Visibility.INTERNAL
    event = AuditEvent.objects.get(action="document_create")
    assert (event.actor, event.object_id) == (admin_user, str(document.pk))

    response = admin_client.post(
        url(Document, "change", document.pk), document_form(agency, title="关于推进基层政务公开的通知")
    )
    assert_saved(response)
    assert AuditEvent.objects.filter(action="document_update", actor=admin_user).count() == 1
    assert found("基层政务公开") == []  # internal until it is published

    document = publish_imported(Document.objects.get())
    assert found("基层政务公开") == ["关于推进基层政务公开的通知"]
    document.refresh_from_db()
    assert document.agency == agency and document.index_no  # kept: not editable after creation


@pytest.mark.django_db(transaction=True)
def test_attachment_uploaded_in_the_admin_is_searchable_and_removable(admin_client, admin_user):
    document = make_document(make_agency(), "关于海岛供水的通知", publish=False)
    upload = SimpleUploadedFile("供水方案.docx", samples.make_docx("海岛淡化水厂扩建方案"))
    form = document_form(
        document.agency, title=document.title, new_attachment=upload, new_attachment_title="方案"
    )
    assert_saved(admin_client.post(url(Document, "change", document.pk), form))
    attachment = Attachment.objects.get()
    assert (attachment.title, attachment.original_name) == ("方案", "供水方案.docx")
    assert AuditEvent.objects.filter(action="attachment_add", actor=admin_user).exists()

    form = document_form(
        document.agency,
        title=document.title,
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-0-id": attachment.pk,
            "attachments-0-document": document.pk,
            "attachments-0-DELETE": "on",
        },
    )
    assert_saved(admin_client.post(url(Document, "change", document.pk), form))
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.filter(action="attachment_remove", actor=admin_user).exists()

    upload = SimpleUploadedFile("供水方案.docx", samples.make_docx("海岛淡化水厂扩建方案"))
    form = document_form(document.agency, title=document.title, new_attachment=upload)
    assert_saved(admin_client.post(url(Document, "change", document.pk), form))
    publish_imported(document)
    assert found("淡化水厂") == ["关于海岛供水的通知"]


def test_refused_upload_is_a_form_error_and_saves_nothing(admin_client):
    agency = make_agency()
    upload = SimpleUploadedFile("伪装.pdf", samples.make_docx("内容"))
    response = admin_client.post(url(Document, "add"), document_form(agency, new_attachment=upload))
    assert response.status_code == 200
    assert "内容与扩展名不符" in str(response.context["adminform"].form.errors["new_attachment"])
    assert not Document.objects.exists()


def test_the_admin_has_no_bulk_validity_action_that_skips_review(admin_client):
    """Marking a published document expired or repealed changes what the public sees: it goes
    through a review submission, never a bulk action of the admin."""
    agency = make_agency()
    published = make_document(agency, "旧规定甲")
    changelist = url(Document, "changelist")
    page = admin_client.get(changelist).content.decode()
    assert "mark_expired" not in page and "mark_repealed" not in page
    admin_client.post(changelist, {"action": "mark_expired", "_selected_action": [published.pk]})
    published.refresh_from_db()
    assert published.validity != Validity.EXPIRED
    assert not AuditEvent.objects.filter(action="document_set_validity").exists()


def test_repealing_through_the_form_links_the_replacing_document(admin_client):
    agency = make_agency()
    old, new = make_document(agency, "旧办法", publish=False), make_document(agency, "新办法")
    form = document_form(agency, title="旧办法", validity=Validity.REPEALED, replaced_by=new.pk)
    assert_saved(admin_client.post(url(Document, "change", old.pk), form))
    old.refresh_from_db()
    assert (old.validity, old.replaced_by) == (Validity.REPEALED, new)
    assert AuditEvent.objects.filter(action="document_set_validity", object_id=str(old.pk)).exists()


def test_the_admin_offers_no_way_to_publish(admin_client):
    draft = make_document(make_agency(), "未经审查的草稿", publish=False)
    changelist = admin_client.get(url(Document, "changelist")).content.decode()
    assert 'value="publish"' not in changelist
    admin_client.post(url(Document, "changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.visibility == Visibility.INTERNAL and draft.index_no is None
    assert not AuditEvent.objects.filter(action="document_publish").exists()


def test_published_and_imported_documents_open_read_only(admin_client):
    agency = make_agency()
    published = make_document(agency, "已公开的通知")
    page = admin_client.get(url(Document, "change", published.pk)).content.decode()
    assert 'name="title"' not in page and "已公开的通知" in page
    response = admin_client.post(url(Document, "change", published.pk), document_form(agency, title="偷改"))
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "已公开的通知"


def test_documents_cannot_be_deleted_in_the_admin(admin_client):
    document = make_document(make_agency())
    assert admin_client.post(url(Document, "delete", document.pk), {"post": "yes"}).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


def test_staff_see_only_documents_of_agencies_in_their_scope(client, db):
    mine, other = make_agency("本市人民政府"), make_agency("外市人民政府")
    make_document(mine, "本市的通知")
    make_document(other, "外市的通知")
    user = User.objects.create_user("clerk", password="x-unused-password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    StaffRole.objects.create(user=user, agency=mine, role=Role.CLERK)
    client.force_login(user)
    page = client.get(url(Document, "changelist")).content.decode()
    assert "本市的通知" in page and "外市的通知" not in page


# ---------------------------------------------------------------- audit trail and reference data


def test_audit_events_cannot_be_changed_or_deleted_in_the_admin(admin_client):
    event = audit_record(actor=None, action="document_create")
    change = url(AuditEvent, "change", event.pk)
    page = admin_client.get(change).content.decode()
    assert 'name="_save"' not in page
    assert admin_client.post(change, {"action": "forged"}).status_code == 403
    assert admin_client.get(url(AuditEvent, "delete", event.pk)).status_code == 403
    assert admin_client.post(url(AuditEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    admin_client.post(
        url(AuditEvent, "changelist"), {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    event.refresh_from_db()
    assert event.action == "document_create"


def test_agency_edits_in_the_admin_are_audited(admin_client, admin_user):
    agency = make_agency("测试县人民政府", level=AgencyLevel.COUNTY)
    data = {
        "name": "测试县人民政府（更名）",
        "code": agency.code,
        "level": AgencyLevel.COUNTY,
        "sort_order": "0",
        "is_active": "on",
        "office-TOTAL_FORMS": "1",
        "office-INITIAL_FORMS": "0",
        "office-MIN_NUM_FORMS": "0",
        "office-MAX_NUM_FORMS": "1",
        "office-0-name": "测试县人民政府办公室",
        "office-0-phone": "0830-1234567",
        "staff_roles-TOTAL_FORMS": "0",
        "staff_roles-INITIAL_FORMS": "0",
        "staff_roles-MIN_NUM_FORMS": "0",
        "staff_roles-MAX_NUM_FORMS": "1000",
    }
    from gongkai.agencies.models import Agency

    assert_saved(admin_client.post(url(Agency, "change", agency.pk), data))
    event = AuditEvent.objects.get(action="admin_agency_update")
    assert (event.actor, event.before["name"], event.after["name"]) == (
        admin_user,
        "测试县人民政府",
        "测试县人民政府（更名）",
    )
    assert AuditEvent.objects.filter(action="admin_disclosureoffice_save").exists()


def test_subjects_stay_two_levels(admin_client):
    top = Subject.objects.create(name="综合政务（测试）")
    other_top = Subject.objects.create(name="其他（测试）")
    second = Subject.objects.create(name="政务公开", parent=top)
    count = Subject.objects.count()
    third = {"name": "第三级", "parent": second.pk, "sort_order": "0", **child_forms()}
    response = admin_client.post(url(Subject, "add"), third)
    assert "parent" in response.context["adminform"].form.errors
    moved_top = {"name": top.name, "parent": other_top.pk, "sort_order": "0", **child_forms()}
    response = admin_client.post(url(Subject, "change", top.pk), moved_top)
    assert "该分类下还有二级分类" in str(response.context["adminform"].form.errors["parent"])
    duplicate_top = {"name": top.name, "parent": "", "sort_order": "0", **child_forms()}
    response = admin_client.post(url(Subject, "add"), duplicate_top)
    assert "已有同名的一级分类" in str(response.context["adminform"].form.errors["name"])
    assert Subject.objects.count() == count


def child_forms() -> dict:
    return {
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "1000",
    }


def test_document_dates_in_the_form_are_kept(admin_client):
    agency = make_agency()
    form = document_form(agency, effective_on="2024-04-01", expires_on="2029-03-31")
    assert_saved(admin_client.post(url(Document, "add"), form))
    document = Document.objects.get()
    assert (document.written_on, document.effective_on, document.expires_on) == (
        date(2024, 3, 1),
        date(2024, 4, 1),
        date(2029, 3, 31),
    )


def test_the_admin_stores_a_typed_document_number_normalised_keeping_the_original(admin_client):
    agency = make_agency()
    response = admin_client.post(
        url(Document, "add"),
        {
            "agency": agency.pk,
            "title": "关于测试的通知",
            "doc_no": "镇政发[2024]7号",
            "normative_no": "HHCR-2024-00001",
            "issuers": f'["{agency.code}"]',
            "written_on": "2024-03-05",
            "written_on_precision": "day",
            "validity": "in_force",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    doc = Document.objects.get(title="关于测试的通知")
    assert (doc.doc_no, doc.doc_no_original, doc.normative_no) == (
        "镇政发〔2024〕7号",
        "镇政发[2024]7号",
        "HHCR-2024-00001",
    )
    assert doc.issuers == [agency.code]
    response = admin_client.post(
        url(Document, "add"),
        {"agency": agency.pk, "title": "另一个", "issuers": '["999999999"]', "written_on": "2024-03-05",
         "written_on_precision": "day", "validity": "in_force",
         "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200 and "机构目录中没有" in response.content.decode()
