"""`gongkai serve` and `gongkai demo` (which serves through the same function) with several
workers and no shared cache say in one line that throttle limits count per process
(issue 10, section 7)."""

import os

import pytest

from gongkai.operations.management.commands import serve as serve_module

pytestmark = pytest.mark.django_db


class Replaced(Exception):
    """Stands for the moment the process becomes gunicorn."""


def served_lines(monkeypatch, workers):
    lines = []

    def execv(path, argv):
        raise Replaced

    monkeypatch.setattr(os, "execv", execv)
    with pytest.raises(Replaced):
        serve_module.serve(host="127.0.0.1", port=8124, workers=workers, say=lines.append)
    return lines


def test_several_workers_without_redis_get_one_line_about_per_process_limits(monkeypatch):
    monkeypatch.delenv("GONGKAI_REDIS_URL", raising=False)
    notes = [line for line in served_lines(monkeypatch, 3) if "per worker process" in line]
    assert len(notes) == 1 and "GONGKAI_REDIS_URL" in notes[0] and "3 times" in notes[0]


def test_one_worker_or_redis_needs_no_note(monkeypatch):
    monkeypatch.delenv("GONGKAI_REDIS_URL", raising=False)
    assert not any("per worker process" in line for line in served_lines(monkeypatch, 1))
    monkeypatch.setenv("GONGKAI_REDIS_URL", "redis://127.0.0.1:6379/0")
    assert not any("per worker process" in line for line in served_lines(monkeypatch, 4))


def test_the_demo_serves_through_the_same_function():
    from gongkai.operations.management.commands import demo

    assert demo.serve is serve_module.serve
