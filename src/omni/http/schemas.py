"""Base for request bodies: unknown fields are refused (422), not silently ignored —
the defence against mass assignment (``status``, ``total``, ``customer_id`` …)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
