"""Staff create, read and update customer profiles through HTTP (CUS1)."""

from __future__ import annotations

import pytest

from tests.customers.helpers import (
    CUSTOMERS,
    audit_of,
    create_customer,
    customers_named,
    events_of,
    snapshot,
    unique_last_name,
    unique_loyalty_card,
    unique_phone,
)
from tests.support import unique_email


async def test_staff_create_a_profile_with_normalized_identities(client, agent):
    # given a shopper at the till with an email, a phone, a loyalty card and the app
    email, card = unique_email(), unique_loyalty_card()
    body = {
        "first_name": " Ada ",
        "last_name": "Lovelace",
        "email": email.upper(),
        "phone": "(212) 555-0143",
        "loyalty_card": f"{card[:4]} {card[4:8]} {card[8:]}",
        "app_device_id": "device-123",
        "birth_date": "1990-12-10",
        "locale": "fr-ca",
        "communication": {"sms": True},
        "note": "Prefers fitting room 2",
    }
    # when staff create the profile
    response = await client.post(CUSTOMERS, json=body, headers=agent)
    # then it is stored normalized, with one identity per identifier
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/customers/{created['id']}"
    assert response.headers["etag"] == '"v1"'
    assert created["id"].startswith("cus_")
    assert (created["first_name"], created["email"], created["phone"]) == (
        "Ada",
        email.lower(),
        "+12125550143",
    )
    assert created["locale"] == "fr-CA"
    assert created["communication"] == {"email": False, "sms": True, "push": False, "post": False}
    assert created["note"] == "Prefers fitting room 2"
    assert sorted((i["kind"], i["value"], i["verified"]) for i in created["identities"]) == [
        ("app_device", "device-123", False),
        ("email", email.lower(), False),
        ("loyalty_card", card, False),
        ("phone", "+12125550143", False),
    ]
    assert created["addresses"] == []


async def test_a_created_profile_reads_back_the_same_with_its_etag(client, agent):
    created = await create_customer(client, agent, email=unique_email())
    profile, etag = await snapshot(client, agent, created["id"])
    assert profile == created
    assert etag == '"v1"'


async def test_store_associates_look_up_and_create_profiles_in_any_store(client, staff_headers):
    associate = await staff_headers("associate", stores=["loc_somewhere"])
    created = await create_customer(client, associate)
    response = await client.get(f"{CUSTOMERS}/{created['id']}", headers=associate)
    assert response.status_code == 200


async def test_creating_a_profile_records_an_event_and_an_audit_entry(client, agent, database):
    created = await create_customer(client, agent)
    events = await events_of(database, created["id"], "customer.created")
    assert len(events) == 1
    assert len(await audit_of(database, created["id"], "customer.created")) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("phone", "12"),
        ("phone", "+1 000 000 0000"),
        ("loyalty_card", "ABC-123"),
        ("locale", "xx-QQ"),
        ("birth_date", "2999-01-01"),
        ("birth_date", "1850-01-01"),
        ("first_name", "   "),
    ],
)
async def test_a_profile_with_a_bad_value_is_refused_and_nothing_is_created(
    client, agent, database, field, value
):
    last_name = unique_last_name()
    body = {"first_name": "Ada", "last_name": last_name, field: value}
    response = await client.post(CUSTOMERS, json=body, headers=agent)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await customers_named(database, last_name) == 0


async def test_the_problem_names_the_bad_field(client, agent):
    response = await client.post(
        CUSTOMERS,
        json={"first_name": "A", "last_name": unique_last_name(), "email": "nope"},
        headers=agent,
    )
    assert response.json()["field"] == "email"


async def test_unknown_fields_are_refused_and_nothing_is_created(client, agent, database):
    last_name = unique_last_name()
    body = {"first_name": "Ada", "last_name": last_name, "vip": True}
    response = await client.post(CUSTOMERS, json=body, headers=agent)
    assert response.status_code == 422
    assert await customers_named(database, last_name) == 0


async def test_an_unknown_preferred_store_is_refused_and_nothing_is_created(
    client, agent, database
):
    last_name = unique_last_name()
    body = {"first_name": "Ada", "last_name": last_name, "preferred_store_id": "loc_nowhere"}
    response = await client.post(CUSTOMERS, json=body, headers=agent)
    assert response.status_code == 422
    assert response.json()["field"] == "preferred_store_id"
    assert await customers_named(database, last_name) == 0


async def test_a_known_store_can_be_the_preferred_store(client, agent, store_id):
    created = await create_customer(client, agent, preferred_store_id=store_id)
    assert created["preferred_store_id"] == store_id
    patched = await client.patch(
        f"{CUSTOMERS}/{created['id']}", json={"preferred_store_id": None}, headers=agent
    )
    assert patched.json()["preferred_store_id"] is None


async def test_an_email_someone_verified_cannot_start_another_profile(
    client, agent, database, shopper_headers
):
    # given a shopper who signed up (their email is verified by the sign-up)
    shopper_id, _ = await shopper_headers()
    shopper, _ = await snapshot(client, agent, shopper_id)
    # when staff create a new profile with that email
    last_name = unique_last_name()
    response = await client.post(
        CUSTOMERS,
        json={"first_name": "Eve", "last_name": last_name, "email": shopper["email"]},
        headers=agent,
    )
    # then it is a conflict (look the shopper up instead) and nothing is created
    assert response.status_code == 409
    assert response.json()["field"] == "email"
    assert await customers_named(database, last_name) == 0


async def test_staff_update_a_profile_with_if_match_and_get_a_new_etag(client, agent, database):
    created = await create_customer(client, agent)
    response = await client.patch(
        f"{CUSTOMERS}/{created['id']}",
        json={"first_name": "Augusta Ada", "birth_date": "1985-01-02", "note": "VIP"},
        headers={**agent, "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"v2"'
    updated = response.json()
    assert (updated["first_name"], updated["birth_date"], updated["note"]) == (
        "Augusta Ada",
        "1985-01-02",
        "VIP",
    )
    assert updated["version"] == 2
    events = await events_of(database, created["id"], "customer.updated")
    assert events[-1]["fields"] == ["birth_date", "first_name", "note"]
    [entry] = await audit_of(database, created["id"], "customer.updated")
    assert entry.changes == {"fields": ["birth_date", "first_name", "note"]}


@pytest.mark.parametrize("if_match", ['"v7"', "garbage"])
async def test_a_stale_or_malformed_if_match_is_412_and_changes_nothing(client, agent, if_match):
    created = await create_customer(client, agent)
    before = await snapshot(client, agent, created["id"])
    response = await client.patch(
        f"{CUSTOMERS}/{created['id']}",
        json={"first_name": "Someone else"},
        headers={**agent, "If-Match": if_match},
    )
    assert response.status_code == 412
    assert await snapshot(client, agent, created["id"]) == before


async def test_a_stale_if_match_tells_the_current_etag(client, agent):
    created = await create_customer(client, agent)
    url = f"{CUSTOMERS}/{created['id']}"
    await client.patch(url, json={"first_name": "First"}, headers=agent)
    response = await client.patch(
        url, json={"first_name": "Second"}, headers={**agent, "If-Match": '"v1"'}
    )
    assert response.status_code == 412
    assert response.json()["current_etag"] == '"v2"'


async def test_a_patch_that_changes_nothing_keeps_the_etag(client, agent, database):
    created = await create_customer(client, agent)
    response = await client.patch(
        f"{CUSTOMERS}/{created['id']}",
        json={"first_name": "Ada"},
        headers={**agent, "If-Match": '"v1"'},
    )
    assert response.status_code == 200
    assert response.headers["etag"] == '"v1"'
    assert await events_of(database, created["id"], "customer.updated") == []


async def test_patching_an_unknown_customer_is_404(client, agent):
    response = await client.patch(
        f"{CUSTOMERS}/cus_nobody", json={"first_name": "X"}, headers=agent
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"phone": "555"}, "phone"),
        ({"locale": "zz"}, "locale"),
        ({"first_name": None}, "first_name"),
        ({"communication": None}, "communication"),
        ({"preferred_store_id": "loc_nowhere"}, "preferred_store_id"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
    ],
)
async def test_a_bad_patch_is_refused_and_changes_nothing(client, agent, patch, field):
    created = await create_customer(client, agent, email=unique_email())
    before = await snapshot(client, agent, created["id"])
    response = await client.patch(f"{CUSTOMERS}/{created['id']}", json=patch, headers=agent)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert await snapshot(client, agent, created["id"]) == before


async def test_an_unknown_communication_channel_is_refused_and_changes_nothing(client, agent):
    created = await create_customer(client, agent)
    before = await snapshot(client, agent, created["id"])
    response = await client.patch(
        f"{CUSTOMERS}/{created['id']}", json={"communication": {"fax": True}}, headers=agent
    )
    assert response.status_code == 422
    assert await snapshot(client, agent, created["id"]) == before


async def test_changing_the_email_keeps_identities_in_step(client, agent, database):
    # given a profile created at the till with an (unverified) email and a phone
    old_email, new_email = unique_email(), unique_email()
    created = await create_customer(client, agent, email=old_email, phone=unique_phone())
    # when the email changes
    response = await client.patch(
        f"{CUSTOMERS}/{created['id']}", json={"email": new_email}, headers=agent
    )
    # then the old email identity is replaced by the new one; the phone is untouched
    assert response.status_code == 200, response.text
    emails = [i["value"] for i in response.json()["identities"] if i["kind"] == "email"]
    assert emails == [new_email]
    phones = [i["value"] for i in response.json()["identities"] if i["kind"] == "phone"]
    assert phones == [created["phone"]]
    added = await events_of(database, created["id"], "customer.identity_added")
    removed = await events_of(database, created["id"], "customer.identity_removed")
    assert [e["kind"] for e in added] == ["email"]
    assert [e["kind"] for e in removed] == ["email"]


async def test_clearing_the_phone_removes_its_identity(client, agent):
    created = await create_customer(client, agent, phone=unique_phone())
    response = await client.patch(
        f"{CUSTOMERS}/{created['id']}", json={"phone": None}, headers=agent
    )
    assert response.json()["phone"] is None
    assert [i for i in response.json()["identities"] if i["kind"] == "phone"] == []


async def test_a_verified_old_email_stays_as_an_identity_when_the_email_changes(
    client, agent, shopper_headers
):
    # given a shopper whose sign-up email is verified
    shopper_id, _ = await shopper_headers()
    before, _ = await snapshot(client, agent, shopper_id)
    # when staff change the profile's email
    new_email = unique_email()
    response = await client.patch(
        f"{CUSTOMERS}/{shopper_id}", json={"email": new_email}, headers=agent
    )
    # then the verified one still proves who they are, and the new one is unverified
    emails = {(i["value"], i["verified"]) for i in response.json()["identities"]}
    assert emails == {(before["email"], True), (new_email, False)}
    assert response.json()["email"] == new_email


async def test_taking_an_email_someone_verified_is_409_and_changes_nothing(
    client, agent, shopper_headers
):
    shopper_id, _ = await shopper_headers()
    shopper, _ = await snapshot(client, agent, shopper_id)
    other = await create_customer(client, agent, email=unique_email())
    before = await snapshot(client, agent, other["id"])
    response = await client.patch(
        f"{CUSTOMERS}/{other['id']}", json={"email": shopper["email"].upper()}, headers=agent
    )
    assert response.status_code == 409
    assert await snapshot(client, agent, other["id"]) == before


async def test_communication_changes_merge_and_are_recorded_as_consent(client, agent, database):
    created = await create_customer(client, agent, communication={"email": True})
    response = await client.patch(
        f"{CUSTOMERS}/{created['id']}", json={"communication": {"sms": True}}, headers=agent
    )
    expected = {"email": True, "sms": True, "push": False, "post": False}
    assert response.json()["communication"] == expected
    [event] = await events_of(database, created["id"], "customer.communication_changed")
    assert event["communication"] == expected
    [entry] = await audit_of(database, created["id"], "customer.updated")
    assert entry.changes == {"fields": ["communication"], "communication": expected}


async def test_renaming_a_customer_makes_them_findable_by_the_new_name(client, agent):
    created = await create_customer(client, agent)
    new_last = unique_last_name("Byron")
    await client.patch(f"{CUSTOMERS}/{created['id']}", json={"last_name": new_last}, headers=agent)
    found = await client.get(CUSTOMERS, params={"q": new_last.lower()}, headers=agent)
    assert [c["id"] for c in found.json()["items"]] == [created["id"]]
