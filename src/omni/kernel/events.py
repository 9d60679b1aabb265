"""Domain events: past-tense facts, frozen dataclasses with a dotted wire name.

Every event class registers itself by ``name`` so the dispatcher can rebuild it from an
outbox row. Payload fields must be JSON-friendly (str, int, bool, lists, dicts, None).
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

_REGISTRY: dict[str, type[Event]] = {}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Event:
    name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
                raise ValueError(f"event name {cls.name!r} registered twice")
            _REGISTRY[cls.name] = cls

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def event_class(name: str) -> type[Event] | None:
    return _REGISTRY.get(name)


def rebuild(name: str, payload: dict[str, Any]) -> Event | None:
    cls = event_class(name)
    return None if cls is None else cls(**payload)
