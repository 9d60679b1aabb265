"""Pure rules: buffers, available-to-sell, bundles, and the SQL mirror of the rule."""

from hypothesis import given
from hypothesis import strategies as st

from omni.channels.api import held_back_units
from omni.inventory.domain import Buffer, Quantities, bundle_available, stock_state


def test_a_buffer_keeps_back_the_larger_of_units_and_percent():
    assert Buffer(units=2, percent=10).held_back(50) == 5
    assert Buffer(units=2, percent=10).held_back(5) == 2
    assert Buffer(percent=10).held_back(5) == 1  # percent rounds up: never keeps 0 of 10 %


def test_available_to_sell_subtracts_every_state_and_never_goes_below_zero():
    q = Quantities(on_hand=20, reserved=5, unsellable=2, safety_stock=3)
    assert q.available() == 10
    assert q.available(Buffer(units=4)) == 6
    assert Quantities(on_hand=1, reserved=3, unsellable=0, safety_stock=0).available() == 0


def test_oversold_means_more_promised_than_sellable():
    assert Quantities(on_hand=-1, reserved=0, unsellable=0, safety_stock=0).oversold
    assert Quantities(on_hand=5, reserved=4, unsellable=2, safety_stock=0).oversold
    assert not Quantities(on_hand=5, reserved=3, unsellable=2, safety_stock=0).oversold


def test_bundles_are_limited_by_their_scarcest_component():
    recipe = {"duvet": 1, "pillowcase": 2}
    assert bundle_available({"duvet": 7, "pillowcase": 9}, recipe) == 4
    assert bundle_available({"duvet": 7}, recipe) == 0
    assert bundle_available({"duvet": 7}, {}) == 0


def test_stock_states():
    assert stock_state(0, 2) == "out_of_stock"
    assert stock_state(2, 2) == "low_stock"
    assert stock_state(3, 2) == "in_stock"


@given(st.integers(-50, 10_000), st.integers(0, 60), st.integers(0, 100), st.integers(0, 100))
def test_inventory_and_channels_agree_on_what_a_channel_may_sell(on_hand, reserved, units, percent):
    # channels caps its held-back figure at on hand (for display); availability is the same
    q = Quantities(on_hand, reserved, unsellable=0, safety_stock=0)
    free = on_hand - reserved
    assert q.available(Buffer(units, percent)) == max(
        0, free - held_back_units(on_hand, units, percent)
    )


@given(
    st.integers(0, 1000),
    st.integers(0, 1000),
    st.integers(0, 100),
    st.integers(0, 100),
    st.integers(0, 50),
    st.integers(0, 100),
)
def test_more_buffer_never_means_more_available(
    on_hand, reserved, unsellable, safety, units, percent
):
    q = Quantities(on_hand, reserved, unsellable, safety)
    assert q.available(Buffer(units, percent)) <= q.available()
    assert q.available(Buffer(units + 1, percent)) <= q.available(Buffer(units, percent))
