"""Reading JSON-lines import files: one object a line, errors reported by line number.

Shared by every `gongkai import-*` command so they read and report alike (interfaces.md:
all-or-nothing, "line N: what is wrong" in English on stderr).
"""

import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class ImportFailed(Exception):
    """An import found errors and wrote nothing."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); nothing was imported")


def read_jsonl(lines: Iterable[bytes | str]) -> Iterator[tuple[int, dict | LineError]]:
    """(line number, object or error) for each non-blank line; a UTF-8 byte-order mark on the
    first line is ignored."""
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, LineError(number, "not valid UTF-8 text")
                continue
        if number == 1:
            raw = raw.removeprefix("\ufeff")
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, LineError(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield number, LineError(number, "expected a JSON object ({...})")
            continue
        yield number, obj


@contextlib.contextmanager
def all_or_nothing(*, dry_run: bool):
    """One transaction for a whole import: an error anywhere (ImportFailed) rolls every line
    back, and a dry run writes everything and then rolls it back, so its counts and errors are
    those a real run would give."""
    with transaction.atomic():
        yield
        if dry_run:
            transaction.set_rollback(True)


def open_jsonl(path: str | Path) -> list[bytes]:
    """The lines of an import file, read whole (files are megabytes, not gigabytes)."""
    with open(path, "rb") as fh:
        return fh.read().splitlines()


class FieldReader:
    """Typed access to one line's fields; problems are collected, not raised, so a line
    reports everything wrong with it at once."""

    def __init__(self, obj: dict, line: int, *, allowed: Iterable[str]):
        self.obj, self.line, self.errors = obj, line, []
        allowed = tuple(allowed)
        for key in obj:
            if key not in allowed:
                self.error(f"unknown field {key!r} (expected: {', '.join(allowed)})")

    def error(self, message: str) -> None:
        self.errors.append(LineError(self.line, message))

    def text(
        self, key: str, *, required: bool = False, max_length: int | None = None, strip: bool = True
    ) -> str:
        """A string field; missing, null and blank are "" (an error when required)."""
        value = self.obj.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(f"field {key!r} must be a string")
            return ""
        if strip:
            value = value.strip()
        if required and not value.strip():
            self.error(f"missing field {key!r}" if key not in self.obj else f"field {key!r} is empty")
        if max_length is not None and len(value) > max_length:
            self.error(f"field {key!r} is longer than {max_length} characters")
        return value

    def object(self, key: str) -> dict | None:
        value = self.obj.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(f"field {key!r} must be a JSON object")
            return None
        return value
