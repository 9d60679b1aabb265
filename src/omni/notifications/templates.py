"""Message templates (plain text; HTML versions come with the storefront)."""

from __future__ import annotations

from jinja2 import Environment, StrictUndefined

_ENV = Environment(autoescape=False, undefined=StrictUndefined, trim_blocks=True)  # noqa: S701 - plain text

TEMPLATES: dict[str, tuple[str, str]] = {
    "password_reset": (
        "Reset your password",
        "Someone (hopefully you) asked to reset the password of this account.\n\n"
        "Use this code within {{ minutes }} minutes: {{ token }}\n"
        "or open {{ base_url }}/reset-password?token={{ token }}\n\n"
        "If you did not ask for this, ignore this message; your password stays the same.",
    ),
}


def render(template: str, **values: object) -> tuple[str, str]:
    subject, body = TEMPLATES[template]
    return _ENV.from_string(subject).render(**values), _ENV.from_string(body).render(**values)
