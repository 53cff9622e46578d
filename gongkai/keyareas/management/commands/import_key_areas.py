"""`gongkai import-key-areas [FILE.json]`: load a version of the key-area catalogue (重点领域
主动公开基本目录, format in docs/keyareas.md); without FILE, the catalogue shipped with Gongkai.
An area whose version is already loaded is left alone; a new version updates it, retires the
items it drops and keeps the version's snapshot."""

from pathlib import Path

from django.core.management.base import CommandError

from gongkai.core.management.base import GongkaiCommand
from gongkai.keyareas.catalogue_file import SHIPPED, CatalogueFormatError
from gongkai.keyareas.services import keyareas_import


class Command(GongkaiCommand):
    help = (
        "Load a key-area catalogue file (format gongkai-key-areas/1, docs/keyareas.md); without FILE the "
        'shipped one. With --json prints {"created": [...], "updated": [...], "unchanged": [...], '
        '"retired_items": N}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.json", nargs="?", help="default: the shipped catalogue")
        parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")

    def handle(self, *args, file, json, **options):
        path = Path(file) if file else SHIPPED
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        try:
            result = keyareas_import(text=raw, actor=None)
        except CatalogueFormatError as exc:
            raise CommandError(f"{path} is not a valid catalogue: " + "; ".join(exc.errors)) from None
        if json:
            self.emit_json(
                {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "retired_items": result.retired_items,
                }
            )
        else:
            self.stdout.write(
                f"{len(result.created)} areas added, {len(result.updated)} updated, "
                f"{len(result.unchanged)} unchanged, {result.retired_items} items retired."
            )
