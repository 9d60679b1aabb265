"""Step: customer profiles with identities and addresses (CUS1), duplicates included.

Most people shop in one channel; some in several under one profile; about 5 % have
two profiles (and a few three) because real data does: a store profile made at the
till from a phone number and a loyalty card, a web account with an email, a call-center
profile with a misspelt name. ``demo_ground_truth`` records who is who, so identity
resolution (CUS2) can be measured for precision and recall.

Emails that differ only in letter case are normalized to lower case, as the API does,
so such duplicates share an (unverified) email: the easy case for a matcher.
"""

from __future__ import annotations

import random

from omni.access.models import ShopperAccount
from omni.customers.models import Customer, CustomerAddress, CustomerIdentity
from omni.demo.context import BuildContext
from omni.demo.models import DemoGroundTruth
from omni.demo.steps.heroes import hero_profiles
from omni.demo.steps.people import PeopleFactory, Person
from omni.demo.steps.profiles import Profile, ProfileRows

PROFILES_AT_SCALE_1 = 5_000
# How people first came to the retailer, and how often.
ARCHETYPES = ("web", "pos", "omni", "app", "call_center", "social")
ARCHETYPE_WEIGHTS = (34, 28, 16, 12, 5, 5)
DUPLICATE_SHARE = 0.05
TRIPLICATE_SHARE = 0.005
ACCOUNT_SHARE = 0.03
NOTES = (
    "Prefers text over calls.",
    "Personal styling client — ask for Sofia.",
    "Gift wraps everything; offer it.",
    "Allergic to wool: suggest cotton and linen.",
    "Tall sizes: check the online range.",
)


def single_profile(f: PeopleFactory, person: Person, archetype: str) -> Profile:
    """The one profile of a person who came through ``archetype``."""
    rng = f.rng
    p = Profile(person, archetype, person.first_name, person.last_name)
    if archetype in ("web", "app", "omni"):
        p.email, p.verified = person.email, {"email"}
        p.phone = person.phone if rng.random() < (0.9 if archetype == "omni" else 0.5) else None
        p.addresses = [person.address]
    if archetype in ("app", "omni") and (archetype == "app" or rng.random() < 0.5):
        p.devices = [f.device_id() for _ in range(rng.choice((1, 1, 1, 2)))]
    if archetype in ("pos", "omni"):
        p.card = f.loyalty_card()
        p.verified.add("loyalty_card")
        p.store = person.store_code
    if archetype == "pos":
        p.phone = person.phone
        p.email = person.email if rng.random() < 0.35 else None
        p.addresses = [person.address] if rng.random() < 0.25 else []
    if archetype == "call_center":
        p.phone, p.email, p.addresses = person.phone, person.email, [person.address]
    if archetype == "social":
        p.social = f.social_handle(person)
        p.email = person.email if rng.random() < 0.5 else None
    if p.store is None and rng.random() < 0.3:
        p.store = person.store_code
    return p


def duplicate_profile(f: PeopleFactory, first: Profile, pattern: str) -> Profile:
    """Another profile of the same person, as a different channel recorded them."""
    rng, person = f.rng, first.person
    if pattern == "store_and_web":
        # Signed up online with an email; at the till gave a phone and took a card.
        p = Profile(person, "pos", f.nickname(person.first_name), f.strip_accents(person.last_name))
        p.phone = person.phone if rng.random() < 0.8 else f.phone(person.address.city)
        p.card, p.verified, p.store = f.loyalty_card(), {"loyalty_card"}, person.store_code
        return p
    if pattern == "call_center_typo":
        # An agent typed the name from a phone call; the email was read out correctly.
        p = Profile(person, "call_center", person.first_name, f.typo(person.last_name))
        p.phone, p.email, p.addresses = person.phone, first.email or person.email, [person.address]
        return p
    if pattern == "new_email":
        # Forgot the old account and signed up again with another address.
        p = Profile(person, "web", person.first_name, person.last_name)
        p.email = f.email(person.first_name, person.last_name)
        p.verified = {"email"}
        p.phone = person.phone if rng.random() < 0.6 else None
        p.addresses = [person.address]
        return p
    # app_nickname: installed the app, signed up with a nickname and another email.
    p = Profile(person, "app", f.nickname(person.first_name), person.last_name)
    p.email = f.email(p.first_name, person.last_name)
    p.verified, p.devices = {"email"}, [f.device_id()]
    p.addresses = [person.address] if rng.random() < 0.5 else []
    return p


DUPLICATE_PATTERNS = ("store_and_web", "call_center_typo", "new_email", "app_nickname")


def profiles_of(f: PeopleFactory, person: Person) -> list[Profile]:
    rng = f.rng
    archetype = rng.choices(ARCHETYPES, ARCHETYPE_WEIGHTS)[0]
    first = single_profile(f, person, archetype)
    roll = rng.random()
    extra = 2 if roll < TRIPLICATE_SHARE else 1 if roll < DUPLICATE_SHARE + TRIPLICATE_SHARE else 0
    # Someone who already carries a loyalty card is not signed up at the till again.
    fitting = [p for p in DUPLICATE_PATTERNS if not (p == "store_and_web" and first.card)]
    patterns = rng.sample(fitting, extra)
    duplicates = [duplicate_profile(f, first, pattern) for pattern in patterns]
    for dup, pattern in zip(duplicates, patterns, strict=True):
        dup.pattern = f"duplicate:{pattern}"
    if duplicates:
        first.pattern = "duplicated"
    return [first, *duplicates]


def decorate(rng: random.Random, profile: Profile) -> None:
    """Consent, age of the profile, the odd note."""
    p = profile
    p.communication = {
        "email": bool(p.email) and rng.random() < 0.55,
        "sms": bool(p.phone) and rng.random() < 0.25,
        "push": bool(p.devices) and rng.random() < 0.6,
        "post": bool(p.addresses) and rng.random() < 0.08,
    }
    p.age_days = rng.uniform(3, 1500)
    p.note = rng.choice(NOTES) if rng.random() < 0.02 else None
    p.account = "email" in p.verified and rng.random() < ACCOUNT_SHARE


async def build_customers(ctx: BuildContext) -> None:
    rng = ctx.rng("customers")
    factory = PeopleFactory(rng, ctx.registry.stores(), ctx.now.date())
    target = ctx.scaled(PROFILES_AT_SCALE_1, minimum=10)
    profiles: list[Profile] = hero_profiles(factory)
    index = 0
    while len(profiles) < target:
        index += 1
        new = profiles_of(factory, factory.person(f"p{index:06d}"))
        if len(profiles) + len(new) > target:  # the last person fits only once
            new = new[:1]
            new[0].pattern = new[0].archetype
        profiles.extend(new)
    rows = ProfileRows(ctx)
    for profile in profiles:
        if profile.pattern != "hero":
            decorate(rng, profile)
        rows.add(profile)
    await ctx.insert(Customer, rows.customers)
    await ctx.insert(CustomerIdentity, rows.identities)
    await ctx.insert(CustomerAddress, rows.addresses)
    await ctx.insert(DemoGroundTruth, rows.truth)
    await ctx.insert(ShopperAccount, rows.accounts)
    ctx.registry.customers.extend(rows.summaries)
