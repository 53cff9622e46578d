"""Every code path that can make a document public goes through the review chain, or is an
import of an already-public historical document (issue 10, section 1; docs/security.md, 1).

The walk: the catalogue service itself (with no proof, a forged proof, a proof of another
document or of an unfinished chain), every admin action of every registered model, the
commands that publish (`import-documents`, `publish-scheduled`), and a scan of the source for
any other call of document_publish or write of a public visibility.
"""

import ast
import hashlib
import json
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.catalogue.models import Document, Visibility
from gongkai.catalogue.services import (
    CatalogueError,
    DocumentFields,
    document_publish,
    document_update,
)
from gongkai.catalogue.tests.factories import make_document, make_import
from gongkai.core.models import AuditEvent
from gongkai.publishing.models import Submission
from gongkai.publishing.rules import Decision, SubmissionState
from gongkai.publishing.services import publish_scheduled, submission_decide, submission_submit

from .factories import approve_all, draft, make_office

pytestmark = pytest.mark.django_db
SOURCE = Path(__file__).resolve().parents[2]


def assert_still_internal(document):
    document.refresh_from_db()
    assert document.visibility == Visibility.INTERNAL and document.index_no is None
    assert not AuditEvent.objects.filter(action="document_publish", object_id=str(document.pk)).exists()


def test_publishing_without_proof_is_refused_whoever_calls():
    office = make_office()
    record = draft(office)
    with pytest.raises(CatalogueError, match="未经审查"):
        document_publish(document=record.document, actor=office.leader)
    assert_still_internal(record.document)
    loose = make_document(office.agency, "没有送审单的文件", publish=False)
    with pytest.raises(CatalogueError, match="未经审查"):
        document_publish(document=loose)
    assert_still_internal(loose)


def test_a_submission_that_has_not_passed_the_chain_is_no_proof():
    office = make_office()
    record = draft(office)
    with pytest.raises(CatalogueError, match="不能公开"):  # still a draft
        document_publish(document=record.document, approval=record)
    record = submission_submit(submission=record, actor=office.clerk)
    record = submission_decide(submission=record, actor=office.unit_head, decision=Decision.APPROVE)
    with pytest.raises(CatalogueError, match="审查链尚未走完"):  # mid-chain
        document_publish(document=record.document, approval=record)
    # An object edited in memory (or built in a shell) proves nothing: the stored rows decide.
    record.step, record.state = len(record.steps) - 1, SubmissionState.IN_REVIEW
    with pytest.raises(CatalogueError, match="审查链尚未走完"):
        document_publish(document=record.document, approval=record)
    with pytest.raises(CatalogueError, match="不能公开"):
        document_publish(document=record.document, approval=Submission(document=record.document))
    assert_still_internal(record.document)


def test_an_approved_submission_proves_only_its_own_document():
    office = make_office()
    done = approve_all(office, draft(office))
    assert done.state == SubmissionState.DONE
    other = draft(office, title="另一份草稿")
    with pytest.raises(CatalogueError, match="送审单与该信息不符"):
        document_publish(document=other.document, approval=done)
    assert_still_internal(other.document)
    done.document.refresh_from_db()
    event = AuditEvent.objects.get(action="document_publish", object_id=str(done.document_id))
    assert event.after["through"] == f"submission:{done.pk}"


def test_an_import_run_cannot_publish_or_change_a_record_drafted_for_review():
    office = make_office()
    record = draft(office)
    run = make_import(office.agency)
    with pytest.raises(CatalogueError, match="送审流程"):
        document_publish(document=record.document, imported=run)
    fields = DocumentFields(title="被导入改写", written_on=record.document.written_on)
    with pytest.raises(CatalogueError, match="送审流程"):
        document_update(document=record.document, fields=fields, imported=run)
    assert_still_internal(record.document)
    assert record.document.title != "被导入改写"


def test_import_command_refuses_to_publish_a_draft_under_review(tmp_path):
    office = make_office()
    record = draft(office)
    doc = record.document
    path = tmp_path / "history.jsonl"
    line = {"title": doc.title, "content": "被导入覆盖的正文", "written_on": doc.written_on.isoformat()}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_documents", str(path), "--agency", office.agency.code, stderr=open("/dev/null", "w")
        )
    assert_still_internal(doc)
    doc.refresh_from_db()
    assert doc.body != "被导入覆盖的正文"


def test_publish_scheduled_command_publishes_nothing_unreviewed():
    office = make_office()
    record = draft(office)
    submission_submit(submission=record, actor=office.clerk)
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    assert publish_scheduled() == []
    assert_still_internal(record.document)


def test_no_admin_action_of_any_model_publishes_a_draft(admin_client):
    office = make_office()
    record = draft(office)
    loose = make_document(office.agency, "后台起草的文件", publish=False)
    for model, model_admin in admin.site._registry.items():
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        request = admin_client.get(changelist).wsgi_request
        ids = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:50]]
        for name in model_admin.get_actions(request):
            if name == "delete_selected":
                continue  # asks for confirmation; deleting publishes nothing
            admin_client.post(changelist, {"action": name, "_selected_action": ids})
    assert_still_internal(record.document)
    assert_still_internal(loose)


def test_the_admin_cannot_edit_a_published_or_imported_document(admin_client):
    office = make_office()
    published = approve_all(office, draft(office)).document
    imported = make_document(office.agency, "历史文件")
    for doc in (published, imported):
        url = reverse("admin:catalogue_document_change", args=[doc.pk])
        assert admin_client.post(url, {"title": "改", "_save": "1"}).status_code == 403
        with pytest.raises(CatalogueError, match="只能通过送审修改"):
            document_update(document=doc, fields=DocumentFields(title="改", written_on=doc.written_on))
        doc.refresh_from_db()
        assert doc.title != "改"


def test_an_imported_document_records_who_when_and_which_file(tmp_path, django_user_model):
    office = make_office()
    path = tmp_path / "history.jsonl"
    line = {"title": "一九九八年的通知", "content": "历史正文", "written_on": "1998-05-04"}
    path.write_bytes((json.dumps(line, ensure_ascii=False) + "\n").encode())
    call_command("import_documents", str(path), "--agency", office.agency.code, stdout=open("/dev/null", "w"))
    doc = Document.objects.get(title="一九九八年的通知")
    assert doc.visibility == Visibility.PUBLIC
    run = doc.imported_from
    assert run.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert run.file_name == str(path.resolve()) and run.imported_by_label == "system" and run.imported_at
    # One audit event per batch of the import names every document it published (issue 11).
    publish = AuditEvent.objects.get(action="document_publish_batch", object_id=str(run.pk))
    assert publish.after["through"] == f"import:{run.pk}" and publish.after["sha256"] == run.sha256
    assert publish.after["documents"] == [[doc.pk, doc.index_no]]
    assert AuditEvent.objects.filter(action="document_import", object_id=str(run.pk)).exists()


def _calls_and_writes(tree: ast.AST):
    """(line, what) for every call of document_publish and every write of a public visibility."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("document_publish", "documents_import_publish"):  # the import's batches too
                yield node.lineno, "call", {k.arg for k in node.keywords}
            for kw in node.keywords:
                if (
                    kw.arg == "visibility"
                    and "PUBLIC" in ast.unparse(kw.value)
                    and name in ("update", "create")
                ):
                    yield node.lineno, "write", set()
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "visibility":
                    if "PUBLIC" in ast.unparse(node.value) or "public" in ast.unparse(node.value):
                        yield node.lineno, "write", set()


def test_source_has_no_other_way_to_make_a_document_public():
    callers, writers = {}, {}
    for path in SOURCE.rglob("*.py"):
        rel = path.relative_to(SOURCE).as_posix()
        if "/tests/" in rel or "/migrations/" in rel:
            continue
        for line, kind, keywords in _calls_and_writes(ast.parse(path.read_text(encoding="utf-8"))):
            if kind == "call":
                callers.setdefault(rel, []).append(line)
                assert keywords & {"approval", "imported"}, f"{rel}:{line} publishes without proof"
            else:
                writers.setdefault(rel, []).append(line)
    assert set(callers) == {"catalogue/importing.py", "publishing/services/carrying_out.py"}
    assert set(writers) == {"catalogue/services.py"}
