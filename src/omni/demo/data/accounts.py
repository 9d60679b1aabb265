"""The people you sign in as: staff for every role, and a few shoppers.

Every demo login shares one password (printed by ``omni demo``); it is hashed once
per build. Store-scoped staff name their stores by location code.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "omni-demo-pass"
DEMO_EMAIL_DOMAIN = "demo.omni.dev"


@dataclass(frozen=True)
class StaffLogin:
    email: str
    name: str
    roles: tuple[str, ...]
    stores: tuple[str, ...]  # location codes
    app: str
    can: str


STAFF_LOGINS = (
    StaffLogin("admin@demo.omni.dev", "Avery Brooks", ("admin",), (), "Back-office",
               "everything: settings, channels, locations, users, API clients, audit"),
    StaffLogin("merchandiser@demo.omni.dev", "Morgan Ellis", ("merchandiser",), (),
               "Back-office", "catalog, prices, promotions, channel publication"),
    StaffLogin("planner@demo.omni.dev", "Priya Raman", ("planner",), (), "Back-office",
               "stock, transfers, counts, replenishment, locations"),
    StaffLogin("district.nyc@demo.omni.dev", "Marcus Bell", ("store_manager",),
               ("NYC-SOHO", "NYC-UWS", "NYC-WBURG", "NJ-HOBOKEN"), "Store console",
               "district manager of the 4 New York stores"),
    StaffLogin("manager.soho@demo.omni.dev", "Daniel Okafor", ("store_manager",),
               ("NYC-SOHO",), "Store console", "SoHo: sales, pickups, returns, drawer, KPIs"),
    StaffLogin("associate.soho@demo.omni.dev", "Sofia Marino", ("associate",), ("NYC-SOHO",),
               "Store console", "SoHo: till, customer lookup, endless aisle, pickups"),
    StaffLogin("manager.wicker@demo.omni.dev", "Grace Kim", ("store_manager",),
               ("CHI-WICKER",), "Store console", "Wicker Park (Chicago) store manager"),
    StaffLogin("associate.wicker@demo.omni.dev", "Luis Herrera", ("associate",),
               ("CHI-WICKER",), "Store console", "Wicker Park (Chicago) associate"),
    StaffLogin("manager.unionsq@demo.omni.dev", "Hannah Weiss", ("store_manager",),
               ("SF-UNIONSQ",), "Store console", "Union Square (San Francisco) store manager"),
    StaffLogin("associate.unionsq@demo.omni.dev", "Kenji Watanabe", ("associate",),
               ("SF-UNIONSQ",), "Store console", "Union Square (San Francisco) associate"),
    StaffLogin("agent@demo.omni.dev", "Chloe Dubois", ("agent",), (), "Service desk",
               "tickets, customer 360, refunds, reships, coupons"),
    StaffLogin("analyst@demo.omni.dev", "Ethan Park", ("analyst",), (), "Back-office",
               "dashboards and exports: sales, channels, cohorts, stock"),
)  # fmt: skip


@dataclass(frozen=True)
class HeroShopper:
    """A hand-written customer with a shopper account, for a guided tour."""

    key: str
    first_name: str
    last_name: str
    email: str
    phone: str
    metro: str
    store: str  # preferred store code
    line1: str
    city: str
    region: str
    postal_code: str
    channels: tuple[str, ...]  # identities: email, phone, loyalty_card, app_device
    can: str


HERO_SHOPPERS = (
    HeroShopper("maya", "Maya", "Chen", "maya@demo.omni.dev", "+12125550171", "nyc",
                "NYC-SOHO", "48 West 10th Street, Apt 3B", "New York", "NY", "10011",
                ("email", "phone", "loyalty_card", "app_device"),
                "omnichannel regular: app, web and the SoHo store; loyalty member"),
    HeroShopper("jordan", "Jordan", "Rivera", "jordan@demo.omni.dev", "+13125550163",
                "chi", "CHI-WICKER", "1843 N Hoyne Avenue", "Chicago", "IL", "60647",
                ("email",), "web-only shopper in Chicago"),
    HeroShopper("priya", "Priya", "Shah", "priya@demo.omni.dev", "+15105550147", "sfo",
                "OAK-ROCKRIDGE", "5921 Chabot Road", "Oakland", "CA", "94618",
                ("email", "phone", "app_device"), "app shopper, curbside at Rockridge"),
    HeroShopper("robert", "Robert", "Miller", "robert@demo.omni.dev", "+12015550186", "nyc",
                "NJ-HOBOKEN", "712 Garden Street", "Hoboken", "NJ", "07030", ("email", "phone"),
                "web account; also a separate 'Bob Miller' store profile (a duplicate)"),
)  # fmt: skip
