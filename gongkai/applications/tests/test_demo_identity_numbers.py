"""The demo's applicant identity numbers are valid and unlike any number a person may type from
an example, so trying the portal with an example number never matches the demo applicant
(issue 15, §5)."""

import re
from pathlib import Path

import pytest

from gongkai.agencies.models import Role
from gongkai.applications.demo import applications_demo_load
from gongkai.applications.models import Application
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.checksums import is_valid_id_number
from gongkai.publishing.tests.factories import make_staff

ROOT = Path(__file__).resolve().parents[3]
ID_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
# The numbers of guides, forms and search results people copy from (GB 11643 examples, the
# "Beijing Dongcheng/Chaoyang, born 1990-03-07" family), whatever this repository contains.
WELL_KNOWN = {
    "11010519491231002X",
    "110105194912310021",
    "110101199003071234",
    "11010119900307123X",
    "110101199003077571",
    "110101199003077777",
    "110101199003074477",
    "110105199001011234",
    "440524188001010014",
    "11010120000101003X",
}


def example_numbers() -> set[str]:
    """Every identity-number-like string in the docs and tests: numbers a reader sees."""
    found = set(WELL_KNOWN)
    sources = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "tests").rglob("*.py")]
    sources += list((ROOT / "gongkai").glob("*/tests/**/*.py"))
    for path in sources:
        if path.resolve() != Path(__file__).resolve():
            found |= {n.upper() for n in ID_LIKE.findall(path.read_text(encoding="utf-8", errors="ignore"))}
    return found


def demo_source_numbers() -> set[str]:
    """The identity numbers written in the demo modules (agency codes have the same length but
    are no valid identity number)."""
    numbers = set()
    for path in (ROOT / "gongkai").glob("*/demo.py"):
        numbers |= {n.upper() for n in ID_LIKE.findall(path.read_text(encoding="utf-8"))}
    return {n for n in numbers if is_valid_id_number(n)}


@pytest.mark.django_db
def test_the_demo_applicants_have_valid_numbers_unlike_any_example():
    agency = make_agency("江州市教育局")
    clerk, head = make_staff(agency, Role.CLERK), make_staff(agency, Role.OFFICE_HEAD)
    applications_demo_load(education=agency, clerk_username=clerk.username, head_username=head.username)
    used = {n.upper() for n in Application.objects.exclude(id_number="").values_list("id_number", flat=True)}
    assert used  # the demo has a natural person with an identity number
    examples = example_numbers()
    assert "11010519491231002X" in examples
    for number in used:
        assert is_valid_id_number(number), number
        assert number not in examples, number
        # Not of the example families either: Beijing Dongcheng/Chaoyang, the famous birth dates.
        assert number[:6] not in {"110101", "110105"}, number
        assert number[6:14] not in {"19491231", "19900307", "19900101", "20000101"}, number


def test_no_demo_module_names_an_example_number():
    numbers = demo_source_numbers()
    assert "360402198607234181" in numbers
    assert not numbers & example_numbers()
