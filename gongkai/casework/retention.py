"""The casework of an application past its retention period (security.md, "Personal
information"): internal notes, the answers of 交办/协办 tasks and their files can name the
applicant as freely as the application did, so they go with it. Run by purge-personal-data after
the applications are anonymised; a second run changes nothing."""

from django.db import transaction
from django.db.models import Q

from gongkai.core.audit import audit_record
from gongkai.core.retention import ANONYMISED, delete_files_on_commit, scrub_personal

from .models import Note, Task, TaskFile


def _of(tracking_nos) -> Q:
    return Q(application__anonymised_at__isnull=False) | Q(application__tracking_no__in=list(tracking_nos))


def casework_past_retention(tracking_nos=()):
    """The notes and tasks still holding text of the anonymised applications (and of
    ``tracking_nos``, those about to be)."""
    notes = Note.objects.filter(_of(tracking_nos)).exclude(text=ANONYMISED)
    tasks = Task.objects.filter(_of(tracking_nos)).filter(
        ~Q(answer__in=("", ANONYMISED)) | ~Q(review_note__in=("", ANONYMISED)) | Q(files__isnull=False)
    )
    return notes, Task.objects.filter(pk__in=tasks.values("pk"))


@transaction.atomic
def casework_anonymise(*, tracking_nos=(), actor=None, dry_run: bool = False) -> dict:
    """Blank the notes and task answers of anonymised applications, scrub the tasks' matter and
    instructions (kept for their substance) and delete the answers' files; returns the counts."""
    notes, tasks = casework_past_retention(tracking_nos)
    tasks = list(tasks)  # the command runs under its job lock (core/joblock.py)
    files = TaskFile.objects.filter(task__in=tasks)
    counts = {"notes": notes.count(), "tasks": len(tasks), "files": files.count()}
    if dry_run or not any(counts.values()):
        return counts
    notes.update(text=ANONYMISED)
    for task in tasks:
        task.part = scrub_personal(task.part)
        task.instructions = scrub_personal(task.instructions)
        task.answer = ANONYMISED if task.answer else ""
        task.review_note = ANONYMISED if task.review_note else ""
    Task.objects.bulk_update(tasks, ["part", "instructions", "answer", "review_note"])
    storage = TaskFile._meta.get_field("file").storage
    names = list(files.values_list("file", flat=True))
    files.delete()
    delete_files_on_commit(storage, names)
    # Counted, never shown: the audit trail holds no personal data.
    audit_record(actor=actor, action="casework_anonymise", obj=None, after=counts)
    return counts
