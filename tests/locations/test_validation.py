"""Whole-record rules of a location, shared by the API and the CSV importer."""

from __future__ import annotations

import pytest

from omni.locations.api import CSV_COLUMNS, validate_location_row
from omni.locations.bulk import hours_text, parse_hours_text, parse_special_days_text
from omni.locations.domain import check_capabilities
from omni.locations.validation import InvalidLocation, normalize_location
from tests.locations.support import location_body


def test_a_valid_body_is_normalized():
    columns = normalize_location(location_body(code=" nyc-soho ", phone="(212) 226-3126"))
    assert columns["code"] == "NYC-SOHO"
    assert columns["phone"] == "+12122263126"
    assert columns["country"] == "US"
    assert columns["opening_hours"]["sun"] == [["11:00", "18:00"]]
    assert columns["capabilities"] == ["curbside", "pickup", "sell_in_store", "ship_from_store"]
    assert columns["orders_per_day"] == 200 and columns["pickup_slot_minutes"] is None


def test_phone_without_country_prefix_is_read_as_the_locations_country():
    address = location_body()["address"] | {"country": "GB", "city": "London"}
    columns = normalize_location(
        location_body(address=address, phone="020 7946 0000", time_zone="Europe/London")
    )
    assert columns["phone"] == "+442079460000"


def test_every_problem_is_reported_at_once():
    body = location_body(
        code="no spaces allowed",
        address=location_body()["address"] | {"country": "ZZ"},
        phone="12345",
        time_zone="Mars/Olympus_Mons",
        latitude=95,
        opening_hours={"mon": [["09:00", "09:00"]]},
        capacity={"orders_per_day": 5, "orders_per_hour": 10},
    )
    with pytest.raises(InvalidLocation) as error:
        normalize_location(body)
    assert {e.field for e in error.value.errors} == {
        "code",
        "address.country",
        "phone",
        "time_zone",
        "latitude",
        "opening_hours",
        "capacity.orders_per_hour",
    }


@pytest.mark.parametrize(
    ("kind", "capability"),
    [
        ("locker", "sell_in_store"),
        ("locker", "curbside"),
        ("warehouse", "curbside"),
        ("warehouse", "sell_in_store"),
        ("warehouse", "ship_from_store"),
        ("pickup_point", "ship_to_customer"),
    ],
)
def test_a_kind_cannot_offer_what_it_physically_cannot(kind, capability):
    with pytest.raises(ValueError, match="cannot offer"):
        check_capabilities(kind, [capability])


def test_what_each_kind_can_offer():
    assert check_capabilities("locker", ["pickup", "accept_returns"]) == [
        "accept_returns",
        "pickup",
    ]
    assert check_capabilities("warehouse", ["ship_to_customer", "receive_transfers"])
    assert check_capabilities("store", ["curbside", "curbside"]) == ["curbside"]
    with pytest.raises(ValueError, match="unknown"):
        check_capabilities("store", ["teleport"])


@pytest.mark.parametrize(
    "zone", ["", "/etc/passwd", "../zoneinfo/UTC", "America/Nowhere", "America", "zone.tab"]
)
def test_time_zones_must_be_iana_names(zone):
    with pytest.raises(InvalidLocation) as error:
        normalize_location(location_body(time_zone=zone))
    assert [e.field for e in error.value.errors] == ["time_zone"]


# --- CSV rows


def csv_row(**overrides: str) -> dict[str, str]:
    row = dict.fromkeys(CSV_COLUMNS, "")
    row |= {
        "code": "CSV-1",
        "name": "Omni Williamsburg",
        "kind": "store",
        "line1": "200 Bedford Ave",
        "city": "Brooklyn",
        "region": "NY",
        "country": "US",
        "latitude": "40.7176",
        "longitude": "-73.9573",
        "time_zone": "America/New_York",
        "capabilities": "sell_in_store|pickup",
        "opening_hours": "mon-fri 09:00-21:00; sat 10:00-18:00; sun closed",
        "special_days": "2025-12-25 closed; 2025-12-24 09:00-15:00",
        "orders_per_day": "150",
    }
    return row | overrides


def test_a_valid_csv_row_has_no_problems():
    assert validate_location_row(csv_row()) == []


def test_csv_row_problems_are_named_by_column():
    row = csv_row(
        country="XX",
        latitude="north",
        orders_per_day="many",
        capabilities="sell_in_store|teleport",
        opening_hours="mon-fri 9-5",
    )
    row["postcode"] = "11211"
    fields = {error.field for error in validate_location_row(row)}
    assert fields == {
        "country",
        "latitude",
        "orders_per_day",
        "capabilities",
        "opening_hours",
        "postcode",
    }


def test_required_csv_cells_are_reported_when_blank():
    row = csv_row(name="", line1="", latitude="", time_zone="")
    fields = {error.field for error in validate_location_row(row)}
    assert fields == {"name", "line1", "latitude", "time_zone"}


def test_compact_hours_text_parses_ranges_lists_and_wrapping_ranges():
    assert parse_hours_text("mon-wed 09:00-12:00,13:00-18:00; sat,sun closed") == {
        "mon": [["09:00", "12:00"], ["13:00", "18:00"]],
        "tue": [["09:00", "12:00"], ["13:00", "18:00"]],
        "wed": [["09:00", "12:00"], ["13:00", "18:00"]],
        "sat": [],
        "sun": [],
    }
    assert set(parse_hours_text("fri-mon 18:00-02:00")) == {"fri", "sat", "sun", "mon"}


@pytest.mark.parametrize(
    "text", ["mon-fri", "funday 09:00-17:00", "mon 9-17", "mon closed; mon-tue closed"]
)
def test_bad_compact_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_hours_text(text)


def test_bad_special_days_text_is_refused():
    with pytest.raises(ValueError):
        parse_special_days_text("christmas closed")


def test_hours_text_round_trips():
    hours = {
        "mon": [["09:00", "21:00"]],
        "tue": [["09:00", "21:00"]],
        "wed": [["09:00", "21:00"]],
        "thu": [],
        "fri": [["18:00", "02:00"]],
        "sat": [["10:00", "14:00"], ["15:00", "18:00"]],
        "sun": [],
    }
    text = hours_text(hours)
    assert text == (
        "mon-wed 09:00-21:00; thu closed; fri 18:00-02:00; sat 10:00-14:00,15:00-18:00; sun closed"
    )
    assert parse_hours_text(text) == hours
