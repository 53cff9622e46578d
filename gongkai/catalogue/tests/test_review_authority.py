"""The catalogue's review authority (catalogue/review.py): publishing registers the one check of
its review chains, and without it nothing is published or overwritten (fail closed)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.catalogue import review
from gongkai.catalogue.models import Visibility
from gongkai.catalogue.services import CatalogueError, document_publish
from gongkai.publishing import approval

from .factories import make_agency, make_document, make_import

pytestmark = pytest.mark.django_db


def test_publishing_registers_its_approval_check():
    assert review._authority is approval


def test_a_second_authority_cannot_replace_the_check():
    class Lenient:
        def approval_problem(self, approval, document):
            return None

        def under_review(self, document):
            return False

    with pytest.raises(ImproperlyConfigured):
        review.register_review_authority(Lenient())
    assert review._authority is approval
    review.register_review_authority(approval)  # the same one again is harmless


def test_without_an_authority_no_proof_publishes(monkeypatch):
    agency = make_agency()
    document = make_document(agency, "待公开的文件", publish=False)
    run = make_import(agency)
    monkeypatch.setattr(review, "_authority", None)
    with pytest.raises(CatalogueError, match="没有可用的审查机制"):
        document_publish(document=document, approval=object())
    with pytest.raises(CatalogueError, match="送审流程"):  # every document counts as under review
        document_publish(document=document, imported=run)
    document.refresh_from_db()
    assert document.visibility == Visibility.INTERNAL
