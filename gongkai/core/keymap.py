"""A map from 64-bit keys to integers that holds a million entries in tens of megabytes.

The imports remember every line's keys (64-bit hashes of its url, of its title and date) to
find a line that repeats an earlier one, and every stored document's keys to find the one a
line updates. A dict of Python ints costs about 90 bytes an entry (the table, a key object and
a value object); here recent entries sit in a dict and every RUN of them is sorted into two
arrays of 8-byte integers, searched by bisection: 16 bytes an entry, a lookup costing one
bisection per run (8 at a million entries).
"""

from array import array
from bisect import bisect_left

RUN = 1 << 17  # entries per sorted run (about 2 MB); the dict of recent ones stays this small


class KeyMap:
    """``key -> value`` for 64-bit signed keys (``hash()`` values) and values; the first value
    given for a key is kept (``add`` of a key already present changes nothing)."""

    def __init__(self) -> None:
        self._recent: dict[int, int] = {}
        self._runs: list[tuple[array, array]] = []  # (sorted keys, their values)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def get(self, key: int) -> int | None:
        value = self._recent.get(key)
        if value is not None:
            return value
        for keys, values in self._runs:
            i = bisect_left(keys, key)
            if i < len(keys) and keys[i] == key:
                return values[i]
        return None

    def __contains__(self, key: int) -> bool:
        return self.get(key) is not None

    def add(self, key: int, value: int) -> None:
        if self.get(key) is None:
            self.put_new(key, value)

    def put_new(self, key: int, value: int) -> None:
        """``add`` for a key the caller has just looked up and not found."""
        self._recent[key] = value
        self._size += 1
        if len(self._recent) >= RUN:
            items = sorted(self._recent.items())
            self._runs.append((array("q", [k for k, _ in items]), array("q", [v for _, v in items])))
            self._recent = {}
