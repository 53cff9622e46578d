"""`gongkai reindex [--pending]`: rebuild the search index from the database, or apply only
the queued changes (search/changelog.py)."""

from django.core.management.base import CommandError

from gongkai.catalogue.models import Document
from gongkai.core.management.base import GongkaiCommand
from gongkai.search import engine, indexer


class Command(GongkaiCommand):
    help = (
        "Rebuild the search index from the database (readers keep the old index until it is done), "
        "or with --pending apply only the changes queued since the last index update."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="apply queued changes only")

    def handle(self, *args, pending, **options):
        try:
            if pending:
                done = indexer.sync_pending()
                self.stdout.write(f"Applied {done} pending change(s) to the search index.")
                return
            with self.progress(total=Document.objects.public().count(), desc="reindex") as advance:
                done = indexer.rebuild(progress=advance)
        except engine.IndexBusy as exc:
            raise CommandError(
                "the search index is being written by another process; try again shortly"
            ) from exc
        self.stdout.write(f"Indexed {done} public document(s).")
