"""`gongkai import-key-areas [FILE.json]`: load a version of the key-area catalogue (重点领域
主动公开基本目录, format in docs/keyareas.md); without FILE, the catalogue shipped with Gongkai.
An area whose version is already loaded is left alone; a new version updates it, retires the
items it drops and keeps the version's snapshot."""

from pathlib import Path

from django.core.management.base import CommandError

from gongkai.core.importing import ImportCommand
from gongkai.keyareas.catalogue_file import SHIPPED, CatalogueFormatError
from gongkai.keyareas.services import keyareas_import


class Command(ImportCommand):
    help = (
        "Load a key-area catalogue file (format gongkai-key-areas/1, docs/keyareas.md); without FILE the "
        'shipped one. With --json prints {"created": [...], "updated": [...], "unchanged": [...], '
        '"retired_items": N}.'
    )
    file_metavar = "FILE.json"
    file_help = "default: the shipped catalogue"
    offers_dry_run = False
    json_help = "print the result as JSON on stdout"

    def run_import(self, file, *, agency, dry_run, **options):
        path = Path(file) if file else SHIPPED
        raw = self.read_file(path)
        try:
            return keyareas_import(text=raw, actor=None)
        except CatalogueFormatError as exc:
            raise CommandError(f"{path} is not a valid catalogue: " + "; ".join(exc.errors)) from None

    def summary(self, result) -> dict:
        return {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "retired_items": result.retired_items,
        }

    def describe(self, result, *, agency, dry_run) -> str:
        return (
            f"{len(result.created)} areas added, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged, {result.retired_items} items retired."
        )
