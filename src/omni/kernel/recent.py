"""Reference data a process read lately (channels, tax tables, sourcing profiles).

They change a few times a year and every cart and checkout reads them, so each process
keeps what it read for a few seconds. The module that changes them calls ``forget()``
after its commit (this process sees the change at once); other processes catch up
within ``seconds``. Values must be immutable: they are shared by every reader.
"""

from __future__ import annotations

import time
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._values: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        found = self._values.get(key)
        if found is None or time.monotonic() - found[0] >= self.seconds:
            return None
        return found[1]

    def put(self, key: K, value: V) -> V:
        self._values[key] = (time.monotonic(), value)
        return value

    def forget(self) -> None:
        self._values.clear()
