"""Query codes are stored as a keyed HMAC (issue 10, §5): a stolen database alone cannot test
guesses offline, a lookup costs no deliberate CPU, and codes hashed before (PBKDF2) still work
and are upgraded on their first successful lookup. Applications and complaints alike."""

import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from gongkai.applications import services as application_services
from gongkai.applications.models import Application
from gongkai.complaints import services as complaint_services
from gongkai.complaints.models import Complaint
from gongkai.complaints.tests.factories import make_tree
from gongkai.complaints.tests.factories import submit as submit_complaint
from gongkai.core.query_codes import PREFIX, query_code_check, query_code_hash
from gongkai.publishing.tests.factories import make_office
from gongkai.workbench.tests.applications_world import submit_online


def _legacy(code: str) -> str:
    """A hash as stored before this change: Django's PBKDF2 (few rounds, to keep the test fast)."""
    return PBKDF2PasswordHasher().encode(code, "legacysalt1234", iterations=1000)


def test_the_stored_hash_is_keyed_and_fast(settings):
    settings.GONGKAI_QUERY_CODE_KEY = "k" * 40
    stored = query_code_hash("K7P3Q9XD")
    assert stored.startswith(PREFIX) and "K7P3Q9XD" not in stored
    assert query_code_check(" k7p3q9xd ", stored).matches  # as people type it
    assert not query_code_check("K7P3Q9XE", stored).matches
    # Without the key (another key), the same code gives another hash: the database alone
    # does not let anyone test guesses.
    settings.GONGKAI_QUERY_CODE_KEY = "x" * 40
    assert query_code_hash("K7P3Q9XD") != stored
    assert not query_code_check("K7P3Q9XD", stored).matches
    started = time.perf_counter()
    for _ in range(100):
        query_code_check("K7P3Q9XD", stored)
    assert time.perf_counter() - started < 1.0  # PBKDF2 at 1,000,000 rounds took 0.26 s each


def test_without_a_configured_key_it_is_derived_from_the_secret_key_not_equal_to_it(settings):
    settings.GONGKAI_QUERY_CODE_KEY = ""
    settings.SECRET_KEY = "s" * 50
    first = query_code_hash("ABCD2345")
    settings.SECRET_KEY = "t" * 50
    assert query_code_hash("ABCD2345") != first


def test_unusable_and_anonymised_hashes_never_match():
    for stored in ("", "!anonymised", "!Xyz123", "-", "pbkdf2_sha256$broken"):
        assert not query_code_check("ABCD2345", stored).matches


@pytest.mark.django_db
def test_an_application_code_is_stored_as_hmac_and_found():
    office = make_office()
    submitted = application_services.application_submit_online(
        data={**_applicant_data(office.agency)}, client_ip="192.0.2.10"
    )
    stored = Application.objects.get(pk=submitted.application.pk).query_code_hash
    assert stored.startswith(PREFIX) and not stored.startswith("pbkdf2")
    found = application_services.application_find(
        tracking_no=submitted.application.tracking_no, query_code=submitted.query_code.lower()
    )
    assert found == submitted.application
    assert (
        application_services.application_find(
            tracking_no=submitted.application.tracking_no, query_code="WRONG234"
        )
        is None
    )


@pytest.mark.django_db
def test_an_application_hashed_before_keeps_working_and_is_upgraded():
    office = make_office()
    application = submit_online(office)
    Application.objects.filter(pk=application.pk).update(query_code_hash=_legacy("OLDC0DE7"))
    assert (
        application_services.application_find(tracking_no=application.tracking_no, query_code="WRONG234")
        is None
    )
    assert Application.objects.get(pk=application.pk).query_code_hash.startswith(
        "pbkdf2_sha256$"
    )  # untouched
    found = application_services.application_find(tracking_no=application.tracking_no, query_code="oldc0de7")
    assert found is not None and found.pk == application.pk
    upgraded = Application.objects.get(pk=application.pk).query_code_hash
    assert upgraded == query_code_hash("OLDC0DE7")
    assert application_services.application_find(tracking_no=application.tracking_no, query_code="OLDC0DE7")


@pytest.mark.django_db
def test_a_complaint_code_is_hmac_and_one_hashed_before_keeps_working():
    tree = make_tree()
    submitted = submit_complaint(tree.bureau)
    complaint = submitted.complaint
    assert Complaint.objects.get(pk=complaint.pk).query_code_hash.startswith(PREFIX)
    assert complaint_services.complaint_find(
        tracking_no=complaint.tracking_no, query_code=submitted.query_code
    )
    Complaint.objects.filter(pk=complaint.pk).update(query_code_hash=_legacy("OLDC0DE7"))
    assert complaint_services.complaint_find(tracking_no=complaint.tracking_no, query_code="OLDC0DE8") is None
    assert complaint_services.complaint_find(tracking_no=complaint.tracking_no, query_code="OLDC0DE7")
    assert Complaint.objects.get(pk=complaint.pk).query_code_hash == query_code_hash("OLDC0DE7")


def _applicant_data(agency) -> dict:
    from gongkai.workbench.tests.applications_world import applicant

    return applicant(agency)
