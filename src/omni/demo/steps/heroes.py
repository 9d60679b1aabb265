"""The hand-written shoppers of the guided tour (see ``data/accounts.py``)."""

from __future__ import annotations

from datetime import date

from omni.customers import domain
from omni.demo.data.accounts import HERO_SHOPPERS, HeroShopper
from omni.demo.steps.people import Address, PeopleFactory, Person
from omni.demo.steps.profiles import Profile

# How long each has been a customer, in days.
HERO_SINCE = {"maya": 1100.0, "jordan": 420.0, "priya": 260.0, "robert": 700.0}


def _person(f: PeopleFactory, hero: HeroShopper) -> Person:
    email, phone = domain.normalize_email(hero.email), domain.normalize_phone(hero.phone)
    f.emails.add(email)
    f.phones.add(phone)
    return Person(
        key=f"hero-{hero.key}",
        first_name=hero.first_name,
        last_name=hero.last_name,
        email=email,
        phone=phone,
        address=Address(hero.line1, None, hero.city, hero.region, hero.postal_code),
        birth_date=date(1988, 4, 12) if hero.key == "maya" else None,
        locale="en-US",
        metro=hero.metro,
        store_code=hero.store,
    )


def _profile(f: PeopleFactory, hero: HeroShopper, person: Person) -> Profile:
    archetype = "omni" if "loyalty_card" in hero.channels else "web"
    if "app_device" in hero.channels and archetype == "web":
        archetype = "app"
    p = Profile(person, archetype, hero.first_name, hero.last_name, pattern="hero")
    p.email, p.verified = person.email, {"email"}
    p.phone = person.phone if "phone" in hero.channels else None
    if "loyalty_card" in hero.channels:
        p.card = f.loyalty_card()
        p.verified.add("loyalty_card")
    if "app_device" in hero.channels:
        p.devices = [f.device_id()]
    p.addresses = [person.address]
    p.store = hero.store
    p.communication = {"email": True, "sms": p.phone is not None, "push": bool(p.devices)}
    p.age_days = HERO_SINCE[hero.key]
    p.account = True
    return p


def hero_profiles(f: PeopleFactory) -> list[Profile]:
    profiles = []
    for hero in HERO_SHOPPERS:
        person = _person(f, hero)
        profiles.append(_profile(f, hero, person))
        if hero.key == "robert":
            # Before he signed up online, a Hoboken associate made him a store profile.
            bob = Profile(person, "pos", "Bob", "Miller", pattern="duplicate:store_and_web")
            bob.phone, bob.card, bob.verified = person.phone, f.loyalty_card(), {"loyalty_card"}
            bob.store, bob.age_days = hero.store, 1300.0
            bob.communication = {"sms": True}
            profiles.append(bob)
    return profiles
