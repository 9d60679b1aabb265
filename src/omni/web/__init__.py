"""Omni's server-rendered web apps (Jinja2 + htmx): the storefront at ``/``; the store
console (``/store``) and the back-office (``/admin``) slot into the same layout.

Pages call the modules' ``api`` facades in-process — the same use cases and rules as the
REST API — and hold no business logic of their own."""
