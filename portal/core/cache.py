"""What a worker keeps between requests: one small store with one set of rules.

Why one: the kept template pieces (portal/core/fragments.py), the content a screen reads
(portal/content/cache.py) and the suppressed cubes of the dashboard
(portal/commissioning/data.py) each had their own store, bound and invalidation; a mistake
in one (a stale or leaked entry) was easy to make and hard to see.

The rules:

- An entry is kept under a key *and* a stamp: the exact thing whose change makes it wrong
  (the content stamp, the rollup stamps and areas a cube was built from). It is given back
  only to a caller asking with an equal stamp; a caller with another stamp gets nothing and
  builds afresh, and what it keeps replaces the old entry. So a change, made by any worker,
  is never hidden behind an old copy, and a stamp that was rolled back (never committed)
  only costs one more build. A key with nothing that can change it uses no stamp (None).
- Bounded: at most `size` entries. When full, the entry used least recently goes, one at a
  time, so a burst of new keys never empties what the pages in use keep reading.
- Thread-safe: one lock per store around each read and write. The value is built outside
  the lock, so two threads may both build it; both are built for the same stamp, and the
  last one kept wins.
- Never shared between apps: `app_store` keeps each store in its app's `extensions`, so
  two apps in one process (tests, or two sites) never read each other's entries.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")
_MISSING = object()


class Store:
    """A bounded, thread-safe map of key -> (stamp, value); see the module's rules."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a store keeps at least one entry")
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[Any, Any]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, stamp: Any = None, default: Any = None) -> Any:
        """The value kept under key with an equal stamp, else default."""
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] != stamp:
                return default
            self._entries.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, stamp: Any, value: Any) -> None:
        """Keep value under key and stamp, replacing whatever was kept under key."""
        with self._lock:
            self._entries[key] = (stamp, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def kept(self, key: Hashable, stamp: Any, build: Callable[[], T]) -> T:
        """The value kept under key and stamp, or build()'s, kept for the next caller."""
        found = self.get(key, stamp, _MISSING)
        if found is not _MISSING:
            return found
        value = build()
        self.put(key, stamp, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def entries(self) -> dict:
        """A copy of key -> value, to look at what is kept (tests)."""
        with self._lock:
            return {key: value for key, (_stamp, value) in self._entries.items()}

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


_CREATING = Lock()


def app_store(name: str, size: int) -> Store:
    """The current app's store of this name, made on first use (one per app, never shared)."""
    stores = current_app.extensions.get("portal_caches")
    found = stores.get(name) if stores is not None else None
    if found is not None:
        return found
    with _CREATING:  # two first requests at once must not each make their own store
        stores = current_app.extensions.setdefault("portal_caches", {})
        return stores.setdefault(name, Store(size))
