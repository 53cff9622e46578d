"""Building an agency's history for report tests: imported JSON lines (the supported way to
make historical records), one application or case per call."""

import json
from datetime import date

from gongkai.applications.importing import import_applications


def application(ref: str, received: str, applicant_type: str = "natural_person", closed: str | None = None,
                outcome: str | None = None, fee: float = 0) -> dict:  # fmt: skip
    return {
        "ref": ref,
        "received_on": received,
        "channel": "post",
        "applicant_type": applicant_type,
        "closed_on": closed,
        "outcome": outcome,
        "fee_yuan": fee,
    }


def case(ref: str, kind: str, filed: str, decided: str | None = None, result: str | None = None) -> dict:
    return {
        "record": "case",
        "kind": kind,
        "filed_on": filed,
        "decided_on": decided,
        "result": result,
        "application_ref": ref,
    }


def load(agency, records: list[dict]) -> None:
    import_applications([json.dumps(r, ensure_ascii=False).encode() for r in records], agency=agency)


def day(text: str) -> date:
    return date.fromisoformat(text)
