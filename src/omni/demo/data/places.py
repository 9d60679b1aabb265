"""Where Harbor & Pine does business: three metro areas, their stores, two distribution
centers, pickup points and lockers, and the neighbourhoods its customers live in.

Coordinates are real neighbourhood positions; street names, ZIP codes and area codes
are real for the place; house numbers are made up. Store phone numbers use the
555-01xx range, which North American numbering reserves for fiction.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metro:
    key: str
    name: str
    time_zone: str
    latitude: float
    longitude: float
    # Every store and customer of the metro lies within this distance of its centre.
    radius_km: float


@dataclass(frozen=True)
class Site:
    """A store, warehouse, pickup point or locker, before it gets an id."""

    code: str
    name: str
    kind: str
    metro: str
    line1: str
    city: str
    region: str
    postal_code: str
    latitude: float
    longitude: float
    time_zone: str
    phone: str | None
    hours: str  # a key of HOURS in steps/locations.py
    capabilities: tuple[str, ...]
    # orders_per_day, orders_per_hour, pickup_slot_minutes, pickup_slot_capacity, hold days
    capacity: tuple[int | None, int | None, int | None, int | None, int | None]
    status: str = "active"


@dataclass(frozen=True)
class Neighbourhood:
    metro: str
    city: str
    region: str
    postal_codes: tuple[str, ...]
    streets: tuple[str, ...]
    # Weight of the neighbourhood among the metro's customers.
    weight: int = 1


METROS = (
    Metro("nyc", "New York", "America/New_York", 40.7306, -73.9866, 45),
    Metro("chi", "Chicago", "America/Chicago", 41.8781, -87.6298, 40),
    Metro("sfo", "San Francisco Bay Area", "America/Los_Angeles", 37.7749, -122.4194, 60),
)

# Area codes by city (overlays included): where a local number would come from.
AREA_CODES = {
    "New York": ("212", "646", "917", "332"),
    "Brooklyn": ("718", "347", "929"),
    "Astoria": ("718", "347", "929"),
    "Hoboken": ("201", "551"),
    "Jersey City": ("201", "551"),
    "Montclair": ("973", "862"),
    "Chicago": ("312", "773", "872"),
    "Evanston": ("847", "224"),
    "Oak Park": ("708",),
    "San Francisco": ("415", "628"),
    "Oakland": ("510", "341"),
    "Berkeley": ("510", "341"),
    "Palo Alto": ("650",),
    "San Mateo": ("650",),
}
# People keep the mobile number they moved with.
MOVED_IN_AREA_CODES = ("617", "202", "305", "512", "206", "303", "404", "215", "614", "503")

FULL_STORE = (
    "sell_in_store",
    "pickup",
    "ship_from_store",
    "accept_returns",
    "receive_transfers",
)

STORES = (
    # New York: Manhattan stores have no parking bay, so no curbside.
    Site("NYC-SOHO", "Harbor & Pine SoHo", "store", "nyc", "512 Broadway", "New York", "NY",
         "10012", 40.7236, -73.9986, "America/New_York", "+12125550142", "city_flagship",
         (*FULL_STORE, "same_day_delivery"), (240, 30, 30, 12, 7)),
    Site("NYC-UWS", "Harbor & Pine Upper West Side", "store", "nyc", "2231 Broadway",
         "New York", "NY", "10024", 40.7838, -73.9799, "America/New_York", "+12125550167",
         "city", (*FULL_STORE, "same_day_delivery"), (140, 20, 30, 8, 7)),
    # A small neighbourhood shop: no back room for picking online orders.
    Site("NYC-WBURG", "Harbor & Pine Williamsburg", "store", "nyc", "145 Bedford Avenue",
         "Brooklyn", "NY", "11211", 40.7190, -73.9566, "America/New_York", "+17185550118",
         "neighbourhood", ("sell_in_store", "pickup", "accept_returns", "receive_transfers"),
         (60, 10, 60, 4, 5)),
    Site("NJ-HOBOKEN", "Harbor & Pine Hoboken", "store", "nyc", "301 Washington Street",
         "Hoboken", "NJ", "07030", 40.7395, -74.0302, "America/New_York", "+12015550133",
         "suburban", (*FULL_STORE, "curbside"), (120, 16, 30, 8, 7)),
    # Chicago
    Site("CHI-WICKER", "Harbor & Pine Wicker Park", "store", "chi", "1550 N Milwaukee Avenue",
         "Chicago", "IL", "60622", 41.9094, -87.6773, "America/Chicago", "+13125550126",
         "city_flagship", (*FULL_STORE, "same_day_delivery"), (200, 25, 30, 10, 7)),
    Site("CHI-OAKST", "Harbor & Pine Oak Street", "store", "chi", "58 E Oak Street", "Chicago",
         "IL", "60611", 41.9008, -87.6261, "America/Chicago", "+13125550171", "city",
         FULL_STORE, (150, 20, 30, 8, 7)),
    Site("CHI-LINCOLN", "Harbor & Pine Lincoln Park", "store", "chi", "2130 N Halsted Street",
         "Chicago", "IL", "60614", 41.9204, -87.6489, "America/Chicago", "+17735550149",
         "suburban", (*FULL_STORE, "curbside"), (120, 15, 30, 8, 7)),
    Site("IL-EVANSTON", "Harbor & Pine Evanston", "store", "chi", "1620 Sherman Avenue",
         "Evanston", "IL", "60201", 42.0469, -87.6813, "America/Chicago", "+18475550112",
         "suburban", (*FULL_STORE, "curbside"), (100, 14, 60, 10, 7)),
    # San Francisco Bay Area
    Site("SF-UNIONSQ", "Harbor & Pine Union Square", "store", "sfo", "233 Grant Avenue",
         "San Francisco", "CA", "94108", 37.7889, -122.4056, "America/Los_Angeles",
         "+14155550155", "city_flagship", (*FULL_STORE, "same_day_delivery"),
         (220, 28, 30, 12, 7)),
    Site("SF-HAYES", "Harbor & Pine Hayes Valley", "store", "sfo", "520 Hayes Street",
         "San Francisco", "CA", "94102", 37.7765, -122.4253, "America/Los_Angeles",
         "+14155550128", "neighbourhood", FULL_STORE, (90, 12, 60, 6, 5)),
    Site("OAK-ROCKRIDGE", "Harbor & Pine Rockridge", "store", "sfo", "5605 College Avenue",
         "Oakland", "CA", "94618", 37.8432, -122.2519, "America/Los_Angeles", "+15105550164",
         "suburban", (*FULL_STORE, "curbside", "same_day_delivery"), (110, 15, 30, 8, 7)),
    Site("PA-UNIVERSITY", "Harbor & Pine Palo Alto", "store", "sfo", "440 University Avenue",
         "Palo Alto", "CA", "94301", 37.4478, -122.1601, "America/Los_Angeles",
         "+16505550137", "suburban", (*FULL_STORE, "curbside"), (110, 15, 30, 8, 7)),
)  # fmt: skip

DC_CAPABILITIES = ("ship_to_customer", "accept_returns", "receive_transfers")

WAREHOUSES = (
    Site("DC-EDISON", "East Coast Distribution Center", "warehouse", "nyc",
         "300 Raritan Center Parkway", "Edison", "NJ", "08837", 40.5140, -74.3380,
         "America/New_York", "+17325550190", "warehouse", DC_CAPABILITIES,
         (4000, 400, None, None, None)),
    Site("DC-RENO", "West Coast Distribution Center", "warehouse", "sfo", "2450 USA Parkway",
         "McCarran", "NV", "89437", 39.5370, -119.4400, "America/Los_Angeles",
         "+17755550121", "warehouse", DC_CAPABILITIES, (3000, 300, None, None, None)),
)  # fmt: skip

PICKUP_SITES = (
    Site("NYC-LOCKER-PENN", "Parcel locker — Penn District", "locker", "nyc", "370 7th Avenue",
         "New York", "NY", "10001", 40.7497, -73.9925, "America/New_York", None, "always",
         ("pickup", "accept_returns", "receive_transfers"), (None, None, None, 40, 3)),
    Site("NYC-PUP-ASTORIA", "Pickup point — Ditmars News & Goods", "pickup_point", "nyc",
         "31-12 Ditmars Boulevard", "Astoria", "NY", "11105", 40.7753, -73.9120,
         "America/New_York", "+17185550176", "partner",
         ("pickup", "accept_returns", "receive_transfers"), (None, None, 60, 6, 7)),
    Site("CHI-LOCKER-UNION", "Parcel locker — Union Station", "locker", "chi",
         "225 S Canal Street", "Chicago", "IL", "60606", 41.8787, -87.6403, "America/Chicago",
         None, "early_late", ("pickup", "receive_transfers"), (None, None, None, 30, 3)),
    Site("SF-PUP-MISSION", "Pickup point — Valencia Hardware", "pickup_point", "sfo",
         "1020 Valencia Street", "San Francisco", "CA", "94110", 37.7560, -122.4210,
         "America/Los_Angeles", "+14155550183", "partner",
         ("pickup", "accept_returns", "receive_transfers"), (None, None, 60, 5, 7)),
)  # fmt: skip

NEIGHBOURHOODS = (
    Neighbourhood("nyc", "New York", "NY", ("10023", "10024", "10025"),
                  ("Amsterdam Avenue", "Columbus Avenue", "West 72nd Street",
                   "West 86th Street", "Riverside Drive", "West End Avenue"), 3),
    Neighbourhood("nyc", "New York", "NY", ("10011", "10014", "10003"),
                  ("West 23rd Street", "Hudson Street", "Bleecker Street", "Greenwich Avenue",
                   "West 4th Street", "East 10th Street"), 3),
    Neighbourhood("nyc", "New York", "NY", ("10021", "10028", "10075"),
                  ("Lexington Avenue", "East 79th Street", "York Avenue", "Second Avenue",
                   "East 72nd Street"), 2),
    Neighbourhood("nyc", "Brooklyn", "NY", ("11211", "11249", "11222"),
                  ("Bedford Avenue", "Grand Street", "North 6th Street", "Wythe Avenue",
                   "Manhattan Avenue", "Franklin Street"), 3),
    Neighbourhood("nyc", "Brooklyn", "NY", ("11215", "11217", "11238"),
                  ("7th Avenue", "5th Avenue", "Union Street", "President Street",
                   "Prospect Place", "Vanderbilt Avenue"), 3),
    Neighbourhood("nyc", "Astoria", "NY", ("11102", "11103", "11105"),
                  ("Ditmars Boulevard", "31st Street", "Steinway Street", "30th Avenue"), 2),
    Neighbourhood("nyc", "Hoboken", "NJ", ("07030",),
                  ("Washington Street", "Bloomfield Street", "Garden Street",
                   "Hudson Street"), 2),
    Neighbourhood("nyc", "Jersey City", "NJ", ("07302", "07304"),
                  ("Grove Street", "Newark Avenue", "Montgomery Street", "Jersey Avenue"), 2),
    Neighbourhood("nyc", "Montclair", "NJ", ("07042", "07043"),
                  ("Bloomfield Avenue", "Valley Road", "Park Street", "Church Street"), 1),
    Neighbourhood("chi", "Chicago", "IL", ("60622",),
                  ("North Damen Avenue", "West Division Street", "North Milwaukee Avenue",
                   "North Hoyne Avenue"), 3),
    Neighbourhood("chi", "Chicago", "IL", ("60614",),
                  ("North Halsted Street", "West Armitage Avenue", "North Clark Street",
                   "West Webster Avenue"), 3),
    Neighbourhood("chi", "Chicago", "IL", ("60657", "60613"),
                  ("North Broadway", "West Belmont Avenue", "North Southport Avenue",
                   "West Addison Street"), 3),
    Neighbourhood("chi", "Chicago", "IL", ("60647",),
                  ("North Milwaukee Avenue", "West Fullerton Avenue", "North Kedzie Boulevard",
                   "West Armitage Avenue"), 2),
    Neighbourhood("chi", "Chicago", "IL", ("60615", "60637"),
                  ("East 53rd Street", "South Hyde Park Boulevard", "South Dorchester Avenue",
                   "East 57th Street"), 1),
    Neighbourhood("chi", "Evanston", "IL", ("60201", "60202"),
                  ("Chicago Avenue", "Davis Street", "Central Street", "Ridge Avenue"), 2),
    Neighbourhood("chi", "Oak Park", "IL", ("60302", "60304"),
                  ("Lake Street", "Oak Park Avenue", "Marion Street", "Euclid Avenue"), 1),
    Neighbourhood("sfo", "San Francisco", "CA", ("94110",),
                  ("Valencia Street", "Mission Street", "Guerrero Street", "Dolores Street"), 3),
    Neighbourhood("sfo", "San Francisco", "CA", ("94102", "94117"),
                  ("Hayes Street", "Octavia Street", "Gough Street", "Haight Street",
                   "Divisadero Street"), 2),
    Neighbourhood("sfo", "San Francisco", "CA", ("94114", "94131"),
                  ("24th Street", "Castro Street", "Church Street", "Sanchez Street"), 2),
    Neighbourhood("sfo", "San Francisco", "CA", ("94118", "94121"),
                  ("Clement Street", "Geary Boulevard", "Balboa Street", "Lake Street"), 2),
    Neighbourhood("sfo", "Oakland", "CA", ("94618", "94610", "94611"),
                  ("College Avenue", "Claremont Avenue", "Grand Avenue", "Lakeshore Avenue",
                   "Piedmont Avenue"), 2),
    Neighbourhood("sfo", "Berkeley", "CA", ("94703", "94709"),
                  ("Shattuck Avenue", "Telegraph Avenue", "Solano Avenue", "Cedar Street"), 2),
    Neighbourhood("sfo", "Palo Alto", "CA", ("94301", "94306"),
                  ("University Avenue", "Hamilton Avenue", "Emerson Street",
                   "California Avenue"), 1),
    Neighbourhood("sfo", "San Mateo", "CA", ("94401", "94402"),
                  ("B Street", "3rd Avenue", "El Camino Real", "Baldwin Avenue"), 1),
)  # fmt: skip

# US state (ISO 3166-2 subdivision) of each region code used above: the tax region.
TAX_REGIONS = {"NY": "US-NY", "NJ": "US-NJ", "IL": "US-IL", "CA": "US-CA", "NV": "US-NV"}


def metro(key: str) -> Metro:
    return next(m for m in METROS if m.key == key)
