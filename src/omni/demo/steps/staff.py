"""Step: staff users for every role (INT4): the named demo logins, and a floor team of
associates at every store so the staff list looks like a real company's."""

from __future__ import annotations

from typing import Any

from omni.access.models import StaffUser
from omni.demo.context import BuildContext
from omni.demo.data.accounts import HERO_SHOPPERS, STAFF_LOGINS
from omni.demo.data.people import FIRST_NAMES, LAST_NAMES
from omni.demo.steps.people import ascii_word
from omni.kernel.ids import new_id
from omni.permissions import ROLES, STORE_SCOPED_ROLES

TEAM_DOMAIN = "team.demo.omni.dev"


def _row(ctx: BuildContext, email: str, name: str, roles: list[str], stores: list[str]) -> Any:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"demo staff {email} has unknown roles {unknown}")
    if set(roles) <= STORE_SCOPED_ROLES and not stores:
        raise ValueError(f"demo staff {email} is store-scoped but has no store")
    return {
        "id": new_id("stf"),
        "email": email.lower(),
        "name": name,
        "password_hash": ctx.password_hash,
        "roles": roles,
        "store_ids": stores,
        "active": True,
        "failed_sign_ins": 0,
        "locked_until": None,
        "created_at": ctx.days_ago(400),
        "version": 1,
    }


def floor_team(ctx: BuildContext) -> list[dict[str, Any]]:
    """Two to four associates per store (more at flagships), one shift lead among them."""
    rng = ctx.rng("staff")
    rows, emails = [], set()
    for store in ctx.registry.stores():
        flagship = (store["orders_per_day"] or 0) > 180
        size = rng.randint(2, 3) + (1 if flagship else 0)
        for _ in range(size):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{ascii_word(first)}.{ascii_word(last)}@{TEAM_DOMAIN}"
            if email in emails:
                continue
            emails.add(email)
            rows.append(_row(ctx, email, f"{first} {last}", ["associate"], [store["id"]]))
    return rows


async def build_staff(ctx: BuildContext) -> None:
    store_ids = {row["code"]: row["id"] for row in ctx.registry.stores()}
    rows = [
        _row(ctx, login.email, login.name, list(login.roles), [store_ids[c] for c in login.stores])
        for login in STAFF_LOGINS
    ]
    rows += floor_team(ctx)
    await ctx.insert(StaffUser, rows)
    ctx.registry.staff.extend(
        {"id": r["id"], "email": r["email"], "roles": r["roles"], "store_ids": r["store_ids"]}
        for r in rows
    )


def demo_logins() -> list[dict[str, str]]:
    """The table printed by ``omni demo``: static, so a rebuilt or reused demo shows it."""
    staff = [
        {
            "role": ", ".join(login.roles).replace("_", " "),
            "email": login.email,
            "app": login.app,
            "can": login.can,
        }
        for login in STAFF_LOGINS
    ]
    shoppers = [
        {"role": "shopper", "email": hero.email, "app": "Storefront / app", "can": hero.can}
        for hero in HERO_SHOPPERS
    ]
    return staff + shoppers
