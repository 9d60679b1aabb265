"""Distances and the bounding box that pre-filters "near" queries."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omni.locations.domain import bounding_box, haversine_km, parse_point

LATITUDES = st.floats(min_value=-90, max_value=90, allow_nan=False)
LONGITUDES = st.floats(min_value=-180, max_value=180, allow_nan=False)
POINTS = st.tuples(LATITUDES, LONGITUDES)


def test_known_distances():
    new_york, los_angeles = (40.7128, -74.0060), (34.0522, -118.2437)
    assert haversine_km(*new_york, *los_angeles) == pytest.approx(3936, rel=0.005)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20015.1, rel=0.001)  # half the equator
    assert haversine_km(0, 179.9, 0, -179.9) == pytest.approx(22.24, rel=0.01)  # antimeridian


@given(POINTS, POINTS)
def test_distance_is_symmetric_and_never_negative(a, b):
    assert haversine_km(*a, *b) == pytest.approx(haversine_km(*b, *a), abs=1e-9)
    assert haversine_km(*a, *b) >= 0


@given(POINTS)
def test_distance_to_itself_is_zero(a):
    assert haversine_km(*a, *a) == pytest.approx(0, abs=1e-6)


@given(POINTS, POINTS, POINTS)
def test_triangle_inequality(a, b, c):
    direct = haversine_km(*a, *c)
    assert direct <= haversine_km(*a, *b) + haversine_km(*b, *c) + 1e-6


@settings(max_examples=300)
@given(
    st.floats(min_value=-89, max_value=89),
    LONGITUDES,
    st.floats(min_value=0.1, max_value=3000),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=360),
)
def test_every_point_within_the_radius_is_inside_the_bounding_box(
    lat, lon, radius_km, fraction, bearing
):
    # A point at a given fraction of the radius in a given direction (spherical formulas).
    angular = radius_km * fraction / 6371.0088
    phi1, lambda1, theta = math.radians(lat), math.radians(lon), math.radians(bearing)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(angular) + math.cos(phi1) * math.sin(angular) * math.cos(theta)
    )
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(angular) * math.cos(phi1),
        math.cos(angular) - math.sin(phi1) * math.sin(phi2),
    )
    lat2 = math.degrees(phi2)
    lon2 = (math.degrees(lambda2) + 540) % 360 - 180
    box = bounding_box(lat, lon, radius_km)
    assert box.min_lat - 1e-9 <= lat2 <= box.max_lat + 1e-9
    if box.min_lon is not None and box.max_lon is not None:
        assert box.min_lon - 1e-9 <= lon2 <= box.max_lon + 1e-9


def test_box_spanning_the_antimeridian_drops_the_longitude_filter():
    box = bounding_box(10, 179.5, 200)
    assert box.min_lon is None and box.max_lon is None


@pytest.mark.parametrize("text", ["40.7", "a,b", "91,0", "0,181", "nan,0", "1,2,3"])
def test_bad_points_are_refused(text):
    with pytest.raises(ValueError):
        parse_point(text)


def test_point_is_parsed():
    assert parse_point(" 40.72 , -74.0 ") == (40.72, -74.0)
