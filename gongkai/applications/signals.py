"""What the applications app announces for the apps above it (it imports none of them: the
layers in pyproject.toml). A receiver's return value is the answer the sender prints."""

from django.dispatch import Signal

# Sent by `gongkai import-applications` after records were written (not on --dry-run), with
# ``agency`` and ``years`` (the calendar years the file's dates fall in). A receiver returns a
# list of dicts, each a place where the records disagree with something published for one of
# those years (the reports app: the imported annual report, reports.annual.records_against_imported).
APPLICATIONS_IMPORTED = Signal()
