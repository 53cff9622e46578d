"""The demo loaders of issue 16: an open and a concluded consultation, answered questions; a
second load adds nothing."""

import pytest

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.consultations import selectors, services
from gongkai.consultations.demo import consultations_demo_load
from gongkai.consultations.models import Consultation
from gongkai.consultations.rules import Phase
from gongkai.publishing.tests.factories import make_staff
from gongkai.questions import selectors as question_selectors
from gongkai.questions.demo import questions_demo_load

pytestmark = pytest.mark.django_db
TEAM = {"clerk": Role.CLERK, "reviewer": Role.REVIEWER, "office": Role.OFFICE_HEAD, "leader": Role.LEADER}


def test_the_demo_has_an_open_and_a_concluded_consultation_and_answered_questions():
    education = make_agency("江州市教育局")
    usernames = {key: f"demo-{key}" for key in TEAM}
    for key, role in TEAM.items():
        make_staff(education, role, username=usernames[key])
    assert consultations_demo_load(education=education, usernames=usernames) == 2
    phases = sorted(services.consultation_phase(c) for c in Consultation.objects.all())
    assert phases == sorted([Phase.OPEN, Phase.CONCLUDED])
    concluded = next(
        c for c in Consultation.objects.all() if services.consultation_phase(c) == Phase.CONCLUDED
    )
    assert len(selectors.public_groups(concluded)) == 2
    assert questions_demo_load(education=education, clerk_username=usernames["clerk"]) > 0
    assert question_selectors.published_questions().count() == 2
    assert question_selectors.inbox_counts(make_staff(education, Role.CLERK)).questions_overdue == 1
    # Loading again adds nothing.
    assert consultations_demo_load(education=education, usernames=usernames) == 0
    assert questions_demo_load(education=education, clerk_username=usernames["clerk"]) == 0
