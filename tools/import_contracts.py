"""A custom import-linter contract: domain modules meet only at their public facade.

For every import from one domain module into another (``omni.orders.service`` →
``omni.inventory.models``), the imported module must be the other module's package,
its ``api`` or its ``events``. Unlike enumerating each module's private files in
``protected`` contracts, a new file is covered the moment it exists.
"""

from __future__ import annotations

from typing import Any

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class FacadeContract(Contract):
    type_name = "facade"

    containers = fields.ListField(subfield=fields.StringField())
    facades = fields.ListField(subfield=fields.StringField())
    allowed_importers = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        illegal = []
        # Fields are populated with plain lists when the contract is read (typed loosely).
        options: Any = self
        domain_modules = {str(name) for name in options.containers}
        facades = {str(name) for name in options.facades}
        allowed = tuple(str(name) for name in (options.allowed_importers or []))
        for importer in sorted(graph.modules):
            owner = _owner(importer, domain_modules)
            if owner is None or importer.startswith(allowed):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = _owner(imported, domain_modules)
                if target is None or target == owner or _is_facade(imported, target, facades):
                    continue
                lines = [
                    d["line_number"]
                    for d in graph.get_import_details(importer=importer, imported=imported)
                ]
                illegal.append((importer, imported, lines))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(
                f"- {importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False
            )
        output.new_line()
        output.print_error("Import the other module's api or events instead.", bold=False)


def _owner(module: str, domain_modules: set[str]) -> str | None:
    for candidate in domain_modules:
        if module == candidate or module.startswith(candidate + "."):
            return candidate
    return None


def _is_facade(module: str, package: str, facades: set[str]) -> bool:
    return module == package or any(module == f"{package}.{facade}" for facade in facades)
