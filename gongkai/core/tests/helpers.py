"""Test helpers shared by the import, CLI and demo tests."""

import lzma
from pathlib import Path

from gongkai.catalogue.models import Genre, Subject
from gongkai.catalogue.seeds import seed_taxonomies

# A project copy of shared/corpus/gov_work_reports.jsonl (72 real documents), xz-compressed.
CORPUS_XZ = Path(__file__).resolve().parents[2] / "catalogue" / "tests" / "data" / "gov_work_reports.jsonl.xz"
CORPUS_SIZE = 72
STATE_COUNCIL = "000014349"


def corpus_lines() -> list[bytes]:
    return lzma.decompress(CORPUS_XZ.read_bytes()).splitlines()


def write_corpus(path: Path, *, lines: int | None = None) -> Path:
    """The corpus (or its first ``lines`` lines) as a plain JSONL file at ``path``."""
    path.write_bytes(b"\n".join(corpus_lines()[:lines]) + b"\n")
    return path


def ensure_taxonomy() -> None:
    """The seed subjects and genres. The seed migration made them, but a transactional test
    that ran earlier may have flushed them away."""
    seed_taxonomies(Subject, Genre)
