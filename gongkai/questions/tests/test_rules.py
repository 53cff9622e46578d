from datetime import UTC, date, datetime, timedelta

from django.test import override_settings

from gongkai.questions.rules import (
    InterviewPhase,
    ProposalResponse,
    answer_workdays,
    interview_phase,
    is_overdue,
    response_problem,
    takes_questions,
)

START = datetime(2026, 5, 20, 2, 0, tzinfo=UTC)
END = START + timedelta(hours=2)


def test_the_answer_period_is_set_by_the_deployment():
    assert answer_workdays() == 5
    with override_settings(GONGKAI_QUESTION_ANSWER_WORKDAYS=3):
        assert answer_workdays() == 3


def test_overdue_is_unanswered_after_the_answer_date():
    assert is_overdue(answered=False, due_on=date(2026, 5, 1), today=date(2026, 5, 2))
    assert not is_overdue(answered=False, due_on=date(2026, 5, 2), today=date(2026, 5, 2))
    assert not is_overdue(answered=True, due_on=date(2026, 5, 1), today=date(2026, 5, 9))


def test_an_interview_takes_questions_until_it_ends():
    phase = lambda now, published=False: interview_phase(  # noqa: E731
        starts_at=START, ends_at=END, transcript_published=published, now=now
    )
    assert phase(START - timedelta(days=1)) == InterviewPhase.UPCOMING
    assert phase(START + timedelta(minutes=5)) == InterviewPhase.LIVE
    assert phase(END + timedelta(minutes=1)) == InterviewPhase.ENDED
    assert phase(END + timedelta(days=1), True) == InterviewPhase.PUBLISHED
    assert takes_questions(InterviewPhase.LIVE) and not takes_questions(InterviewPhase.ENDED)


def test_each_response_needs_its_date_link_or_reason():
    today = date(2026, 5, 1)
    assert response_problem(ProposalResponse.WILL_PUBLISH, text="", publish_by=None, link="", today=today)
    assert response_problem(
        ProposalResponse.WILL_PUBLISH, text="", publish_by=date(2026, 4, 1), link="", today=today
    )
    assert not response_problem(
        ProposalResponse.WILL_PUBLISH, text="", publish_by=date(2026, 6, 1), link="", today=today
    )
    assert response_problem(ProposalResponse.ALREADY_PUBLIC, text="", publish_by=None, link="", today=today)
    assert response_problem(ProposalResponse.CANNOT, text="", publish_by=None, link="", today=today)
    assert not response_problem(
        ProposalResponse.CANNOT, text="涉及国家秘密", publish_by=None, link="", today=today
    )
