"""One vocabulary of 不予公开 grounds (core/grounds.py, docs/glossary.md): proactive disclosure
and disclosure on application name the same eight grounds; the outcome codes of a refusal stay
those of interfaces.md and the annual report, each meaning exactly one ground; every outcome
falls in exactly one group of Table 2 without reading its code's spelling."""

from gongkai.applications.letter_templates import WITHHELD_GROUNDS
from gongkai.applications.rules import (
    ADVERSE,
    GROUND_OUTCOME,
    OUTCOME_GROUP,
    OUTCOME_GROUPS,
    REDACTION_GROUNDS,
    WITHHELD_GROUND,
    Outcome,
)
from gongkai.core.grounds import ARTICLE, Ground
from gongkai.publishing.rules import NonDisclosureGround
from gongkai.reports.rows import TABLE2_ROWS


def test_both_apps_name_the_same_grounds():
    assert NonDisclosureGround is Ground
    assert set(WITHHELD_GROUND.values()) == set(Ground) and len(WITHHELD_GROUND) == len(Ground)
    assert {GROUND_OUTCOME[g] for g in Ground} == set(WITHHELD_GROUND)


def test_each_refusal_rests_on_the_article_of_its_ground():
    for outcome, ground in WITHHELD_GROUND.items():
        assert WITHHELD_GROUNDS[outcome][1] == ARTICLE[ground], outcome


def test_the_stored_codes_of_a_refusal_are_those_of_the_annual_report():
    withheld_rows = [code for code, _label, *_rest in TABLE2_ROWS if OUTCOME_GROUP.get(code) == "withheld"]
    assert withheld_rows == [o.value for o in WITHHELD_GROUND]


def test_every_outcome_is_in_exactly_one_group():
    listed = [o for outcomes in OUTCOME_GROUPS.values() for o in outcomes]
    assert sorted(listed) == sorted(Outcome) and len(listed) == len(set(listed))
    assert OUTCOME_GROUP[Outcome.OTHER] == "other_handling"
    assert OUTCOME_GROUP[Outcome.WITHHELD_LAW] == "withheld"
    assert ADVERSE == set(Outcome) - {Outcome.DISCLOSED}


def test_a_redaction_in_a_provided_file_names_personal_data_or_one_ground():
    assert [value for value, _label in REDACTION_GROUNDS][1:] == [o.value for o in WITHHELD_GROUND]
