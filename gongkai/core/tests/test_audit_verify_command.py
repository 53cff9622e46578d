import io
import json

import pytest
from django.core.management import CommandError, call_command

from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.audit import audit_record
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def record_three():
    agency = make_agency()
    return [audit_record(actor=None, action=f"test_{i}", obj=agency, after={"n": i}) for i in range(3)]


def test_an_intact_trail_passes():
    record_three()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue().splitlines()[0] == "Audit trail intact: 3 event(s) verified."


def test_an_edited_event_fails_with_its_id():
    events = record_three()
    AuditEvent.objects.filter(pk=events[1].pk).update(after={"n": 99})
    with pytest.raises(CommandError, match=f"broken at 1 event\\(s\\): {events[1].pk}$"):
        call_command("audit_verify")


def test_json_lists_the_broken_ids():
    events = record_three()
    AuditEvent.objects.filter(pk=events[0].pk).delete()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit_verify", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["events"], report["broken"], report["anchor"]) == (2, [events[1].pk], None)
