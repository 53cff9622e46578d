"""State changes of proactive disclosure: one entry point each (STYLE.md, habit 3).

先审查、后公开 (Art. 17): a record reaches the public catalogue only through
``submission_decide`` approving the last step of its chain (or ``publish_scheduled`` carrying
out that approval at the chosen time). Every service checks its permission (permissions.py),
checks the state against rules.TRANSITIONS, writes, and audits in one transaction.

The services are split by concept into the modules of this package (base: errors and plumbing;
chains: review chains and deadlines; drafting; review; carrying_out: redaction, publication
and timeliness); this module re-exports every public name, so ``from
gongkai.publishing.services import X`` keeps working.
"""

# base comes first: manual.py and settlement.py import its errors and helpers from this
# package while carrying_out (below) is still importing manual.py.
from .base import SNAPSHOT_FIELDS, Conflict, NotPermitted, PublishingError
from .base import _attachment_label as _attachment_label
from .base import _require as _require
from .carrying_out import (
    attachment_public_preview,
    publish_scheduled,
    redaction_plan,
    timeliness_refresh,
    timeliness_totals,
)
from .chains import chain_for, deadline_for, review_chain_set
from .drafting import (
    change_propose,
    record_attachment_add,
    record_attachment_remove,
    record_draft,
    record_update,
)
from .review import SCANNED_FIELDS, finding_settle, submission_cancel, submission_decide, submission_submit

__all__ = [
    "Conflict",
    "NotPermitted",
    "PublishingError",
    "SCANNED_FIELDS",
    "SNAPSHOT_FIELDS",
    "attachment_public_preview",
    "chain_for",
    "change_propose",
    "deadline_for",
    "finding_settle",
    "publish_scheduled",
    "record_attachment_add",
    "record_attachment_remove",
    "record_draft",
    "record_update",
    "redaction_plan",
    "review_chain_set",
    "submission_cancel",
    "submission_decide",
    "submission_submit",
    "timeliness_refresh",
    "timeliness_totals",
]
