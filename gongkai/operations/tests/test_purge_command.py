"""`gongkai purge-personal-data`: one run anonymises applications, complaints and evaluations
past the retention period, prints counts per kind, changes nothing with --dry-run or the
second time, and refuses a --before inside the period."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.casework.models import Division, Note, Task, TaskFile
from gongkai.catalogue.tests.factories import make_agency
from gongkai.complaints import services as complaints
from gongkai.complaints.models import Complaint
from gongkai.complaints.tests.factories import make_tree
from gongkai.core.audit import audit_verify
from gongkai.core.models import AuditEvent
from gongkai.core.retention import ANONYMISED
from gongkai.core.tests.test_cli import gongkai
from gongkai.reports.tests.history import application, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_records():
    """Two applications closed in 2019, one still open since then, and a complaint answered
    seven years ago."""
    agency = make_agency("江州市教育局")
    load(agency, [
        application("A1", "2019-03-01", "natural_person", "2019-03-20", "disclosed"),
        application("A2", "2019-04-01", "commercial_enterprise", "2019-04-25", "withheld_process"),
        application("A3", "2019-05-06", "natural_person"),
    ])  # fmt: skip
    tree = make_tree()
    submitted = complaints.complaint_submit(
        data={
            "kind": "suggestion",
            "agency": tree.bureau,
            "name": "张三",
            "contact": "13812345678",
            "content": "建议",
        }
    )
    complaints.complaint_answer(complaint=submitted.complaint, answer="感谢。", actor=tree.bureau_clerk)
    Complaint.objects.update(answered_at=timezone.now() - timedelta(days=7 * 365))
    return agency


def purge(*args) -> dict:
    out = io.StringIO()
    call_command("purge_personal_data", "--json", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_a_run_anonymises_every_kind_past_the_period_and_prints_counts(old_records):
    result = purge()
    assert result["applications"]["count"] == 2 and result["complaints"]["count"] == 1
    assert result["dry_run"] is False and result["retention_years"] == 5
    assert set(
        Application.objects.filter(anonymised_at__isnull=False).values_list("legacy_ref", flat=True)
    ) == {
        "A1",
        "A2",
    }
    assert Complaint.objects.get().name == ANONYMISED
    assert audit_verify() == []


def test_dry_run_reports_the_same_counts_and_changes_nothing(old_records):
    events = AuditEvent.objects.count()
    dry = purge("--dry-run")
    assert dry["dry_run"] is True and AuditEvent.objects.count() == events
    assert not Application.objects.filter(anonymised_at__isnull=False).exists()
    real = purge()
    assert (dry["applications"], dry["complaints"]) == (real["applications"], real["complaints"])


def test_a_second_run_changes_nothing(old_records):
    purge()
    events = AuditEvent.objects.count()
    again = purge()
    assert (again["applications"]["count"], again["complaints"]["count"], again["evaluations"]["count"]) == (
        0,
        0,
        0,
    )
    assert AuditEvent.objects.count() == events


def test_before_limits_the_run_to_earlier_records(old_records):
    assert purge("--before", "2019-04-01")["applications"]["records"] == [
        Application.objects.get(legacy_ref="A1").tracking_no
    ]


def test_before_inside_the_retention_period_is_refused(old_records):
    with pytest.raises(CommandError, match="inside the retention period"):
        call_command("purge_personal_data", "--before", timezone.localdate().isoformat())
    assert not Application.objects.filter(anonymised_at__isnull=False).exists()


def test_the_command_line_prints_counts_and_exits_1_on_a_user_error(tmp_path):
    assert gongkai(tmp_path, "migrate", "-v", "0").returncode == 0
    run = gongkai(tmp_path, "purge-personal-data", "--dry-run")
    assert run.returncode == 0 and "would anonymise" in run.stderr and "0 application(s)" in run.stderr
    run = gongkai(tmp_path, "purge-personal-data", "--before", "2999-01-01")
    assert run.returncode == 1 and run.stderr.count("\n") == 1 and "retention period" in run.stderr
    assert gongkai(tmp_path, "purge-personal-data", "--before", "soon").returncode == 2


def test_the_casework_of_an_anonymised_application_goes_with_it(old_records, tmp_path, settings):
    """Internal notes and a division's answer may name the applicant: anonymised with the case;
    the casework of the application still open (A3) is untouched; a second run changes nothing."""
    settings.MEDIA_ROOT = tmp_path
    old, open_case = Application.objects.get(legacy_ref="A1"), Application.objects.get(legacy_ref="A3")
    division = Division.objects.create(agency=old_records, name="基础教育科")
    for case in (old, open_case):
        Note.objects.create(application=case, text="申请人王小明来电，手机13812345678")
        task = Task.objects.create(
            application=case,
            kind="division",
            division=division,
            part="检索王小明（13812345678）2018年入学材料",
            days=5,
            due_on=case.received_on,
            answer="王小明的材料在档案室",
        )
        TaskFile.objects.create(
            task=task,
            title="材料",
            file=ContentFile(b"x", name=f"answer-{case.pk}.txt"),
            content_type="text/plain",
            size=1,
            sha256="0" * 64,
        )
    dry = purge("--dry-run")
    assert dry["casework"] == {"notes": 1, "tasks": 1, "files": 1}
    assert Note.objects.filter(text__contains="王小明").count() == 2

    assert purge()["casework"] == {"notes": 1, "tasks": 1, "files": 1}
    assert Note.objects.get(application=old).text == ANONYMISED
    task = Task.objects.get(application=old)
    assert "13812345678" not in task.part and "入学材料" in task.part
    assert task.answer == ANONYMISED and not task.files.exists()
    assert "王小明" in Note.objects.get(application=open_case).text  # still open: kept
    assert Task.objects.get(application=open_case).files.count() == 1
    assert purge()["casework"] == {"notes": 0, "tasks": 0, "files": 0}
    assert audit_verify() == []
