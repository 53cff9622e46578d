"""Restore composed with the search app: core's `backup_restore` sits below the domain apps and
takes the index rebuild as a callback; this module supplies the search app's."""

from pathlib import Path

from gongkai.core.backup import RestoreReport
from gongkai.core.backup import backup_restore as core_backup_restore
from gongkai.search import engine, indexer


def search_index_rebuild() -> int | None:
    """The full rebuild of `gongkai reindex`: the number of public documents indexed, None when
    the index was busy."""
    engine.reset_cache()
    try:
        return indexer.rebuild()
    except engine.IndexBusy:
        return None


def backup_restore(*, archive: Path, replace: bool = False) -> RestoreReport:
    """`gongkai.core.backup.backup_restore` with the search index rebuilt afterwards."""
    return core_backup_restore(archive=archive, replace=replace, rebuild_index=search_index_rebuild)
