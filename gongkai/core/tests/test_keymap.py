"""The imports' compact key map (core/keymap.py): it must answer exactly as a dict would, across
its sorted runs, keeping the first value of a key."""

import random

from gongkai.core import keymap
from gongkai.core.keymap import KeyMap


def test_it_answers_as_a_dict_across_many_runs(monkeypatch):
    monkeypatch.setattr(keymap, "RUN", 64)  # many small runs: the sorted arrays do the work
    rng = random.Random(7)
    keys = [rng.getrandbits(64) - (1 << 63) for _ in range(5000)]
    m, d = KeyMap(), {}
    for line, key in enumerate(keys, start=1):
        m.add(key, line)
        d.setdefault(key, line)
    m.add(keys[10], 999_999)  # a key already present keeps its first value
    assert len(m) == len(d)
    assert all(m.get(k) == v for k, v in d.items())
    assert m.get(keys[10]) == 11
    absent = [rng.getrandbits(64) - (1 << 63) for _ in range(2000)]
    assert all((k in m) == (k in d) for k in absent)
    assert min(keys) in m and max(keys) in m
