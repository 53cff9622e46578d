"""Letters are scanned before they are issued (issue 17 item 6: "everything public is
scanned: … letter texts; messages never quote what they protect").

A letter is addressed to the applicant: their own name, identity number, address, telephone
and e-mail are expected in it and are not findings. Anyone else's personal data or a secrecy
mark in the text stops the letter (``services.letter_create``) with a message naming the kind
and the paragraph, never the value, unless the clerk confirms with a reason that it may stay
(a third party who consented, say); the confirmation is audited with kinds and places only.

The copies the applicant sees on the progress page and through the API mask other people's
data found the same way (``OthersMasker``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.agencies.models import DisclosureOffice
from gongkai.agencies.selectors import public_contact_values
from gongkai.core.scan import scan_text
from gongkai.core.scan.findings import Confidence, Kind
from gongkai.core.scan.labels import KIND_LABELS
from gongkai.core.scan.masking import mask

from .models import Application


@dataclass(frozen=True)
class LetterFinding:
    """A finding in a letter: the paragraph (1-based; 0 is the title) and the kind. The value
    is never kept here, so nothing built from it can quote it."""

    paragraph: int
    kind: str

    @property
    def place(self) -> str:
        if self.paragraph == 0:
            return _("标题")
        return _("第%(n)d段") % {"n": self.paragraph}

    @property
    def label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def _squash(value: str) -> str:
    return "".join(str(value or "").split()).casefold()


def applicant_values(application: Application) -> list[str]:
    """The applicant's own data, which a letter addressed to them may carry."""
    return [
        v
        for v in (
            application.name,
            application.contact_name,
            application.id_number,
            application.org_code,
            application.phone,
            application.email,
            application.address,
        )
        if v and v.strip()
    ]


def _own(text: str, own: Sequence[str]) -> bool:
    found = _squash(text)
    return bool(found) and any(found in value or value in found for value in own if value)


def _findings(text: str, *, known, own: Sequence[str], supplied: frozenset = frozenset()):
    for f in scan_text(text, known=known):
        if f.confidence == Confidence.PUBLIC or (str(f.kind), _squash(f.text)) in supplied:
            continue
        if f.kind != Kind.SECRECY_MARK and _own(f.text, own):
            continue
        yield f


def applicant_supplied(application: Application) -> frozenset:
    """What the applicant wrote themselves (the description of the information and its
    document number), as (kind, value) pairs: a letter to them that quotes their request tells
    them nothing new, so a name or a mark they wrote there does not stop it."""
    text = f"{application.description}\n{application.doc_no}"
    return frozenset((str(f.kind), _squash(f.text)) for f in scan_text(text))


def letter_findings(
    application: Application,
    title: str,
    paragraphs: Iterable[str],
    *,
    addressees: Iterable[str] = (),
    public: Iterable[str] = (),
) -> list[LetterFinding]:
    """Other people's data and secrecy marks in a letter's title and paragraphs. ``addressees``:
    further values the letter is meant to carry (the consulted third party's name in the
    letter addressed to it); ``public``: bodies' contact details the letter names (the office,
    the reconsideration body and the court with their addresses, another agency)."""
    own = [_squash(v) for v in [*applicant_values(application), *addressees] if v and v.strip()]
    public = [v for v in public if v and str(v).strip()]
    known = public_contact_values() | frozenset(applicant_values(application)) | frozenset(public)
    own += [_squash(v) for v in public]
    supplied = applicant_supplied(application)
    found = []
    for n, text in enumerate([title, *paragraphs]):
        found += [
            LetterFinding(n, str(f.kind))
            for f in _findings(str(text), known=known, own=own, supplied=supplied)
        ]
    return found


def refusal_message(findings: Sequence[LetterFinding], *, confirmable: bool = True) -> str:
    """Why a letter is not issued: kinds and places, never a value."""
    places = "；".join(f"{f.place}：{f.label}" for f in findings)
    message = _("信函中含有申请人以外的个人信息或密级标志（%(places)s），未出具。请修改后重试。") % {
        "places": places
    }
    if confirmable:
        message += _("确需保留的（如第三方已同意公开），请在“保留理由”中说明后再提交。")
    return message


def public_values(application: Application) -> list[str]:
    """Bodies' contact details a letter of ``application`` names: the agency's reconsideration
    body and court with their addresses, its disclosure office, the other agency of a transfer."""
    agency = application.agency
    office = DisclosureOffice.objects.filter(agency=agency).first()
    values = [
        agency.reconsideration_body,
        agency.reconsideration_address,
        agency.court,
        agency.court_address,
        getattr(office, "phone", ""),
        getattr(office, "address", ""),
        application.other_agency,
    ]
    return [v for v in values if v and v.strip()]


class OthersMasker:
    """Masks other people's data in the texts of one application's letters (secrecy marks are
    not data and stay); the directory and the application's values are read once."""

    def __init__(self, application: Application):
        public = public_values(application)
        self.own = [_squash(v) for v in [*applicant_values(application), *public]]
        self.known = public_contact_values() | frozenset(applicant_values(application)) | frozenset(public)

    def __call__(self, text: str) -> str:
        out = str(text)
        found = sorted(_findings(out, known=self.known, own=self.own), key=lambda f: f.start, reverse=True)
        for f in found:
            if f.kind != Kind.SECRECY_MARK:
                out = out[: f.start] + mask(f.kind, f.text) + out[f.end :]
        return out
