"""Hypothesis state machine: random sequences of receive / reserve / release / consume /
expire / adjust / damage / recover / sale / restock over several locations and channels.
After every step the database agrees with a simple model, levels equal the ledger, and
no location that forbids it ever goes below zero."""

import asyncio
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from omni.db.database import Database
from omni.inventory import reservations, stock
from omni.inventory.domain import Buffer, MovementKind, Quantities, ReservationKind
from omni.inventory.errors import InsufficientStock
from omni.inventory.models import LocationStockPolicy
from omni.inventory.queries import ledger_mismatches, levels
from omni.inventory.reservations import ReserveLine, ReserveRequest
from omni.kernel.clock import FixedClock
from omni.kernel.errors import Conflict
from omni.kernel.ids import new_id

CHANNEL_BUFFERS = {"web": Buffer(units=1, percent=20), "pos": Buffer()}


class InventoryMachine(RuleBasedStateMachine):
    database_settings = None  # set by the test below

    def __init__(self) -> None:
        super().__init__()
        self.runner = asyncio.Runner()
        self.clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
        self.db = Database(self.database_settings, clock=self.clock)
        self.variants = [new_id("var") for _ in range(2)]
        self.locations = [new_id("loc") for _ in range(3)]
        self.negative_ok = self.locations[2]
        self.model: dict[tuple[str, str], list[int]] = defaultdict(
            lambda: [0, 0, 0]
        )  # on_hand, reserved, unsellable
        self.active: dict[
            str, tuple[str, str, int, datetime | None]
        ] = {}  # reference → line, expiry
        self.run(self._allow_negative())

    def run(self, coroutine):  # type: ignore[no-untyped-def]
        return self.runner.run(coroutine)

    async def _allow_negative(self) -> None:
        async with self.db.uow() as uow:
            uow.session.add(
                LocationStockPolicy(
                    location_id=self.negative_ok, allow_negative=True, low_stock_threshold=2
                )
            )
            await uow.commit()

    def teardown(self) -> None:
        self.run(self.db.dispose())
        self.runner.close()

    def quantities(self, key: tuple[str, str]) -> Quantities:
        on_hand, reserved, unsellable = self.model[key]
        return Quantities(on_hand, reserved, unsellable, 0)

    async def _change(self, change: stock.StockChange) -> bool:
        try:
            async with self.db.uow() as uow:
                await stock.apply_changes(uow, [change])
                await uow.commit()
            return True
        except Conflict:
            return False

    keys = st.tuples(st.integers(0, 1), st.integers(0, 2))

    def key(self, pick: tuple[int, int]) -> tuple[str, str]:
        return self.variants[pick[0]], self.locations[pick[1]]

    @rule(pick=keys, quantity=st.integers(1, 8))
    def receive(self, pick, quantity):
        key = self.key(pick)
        assert self.run(self._change(stock.StockChange(*key, MovementKind.RECEIPT, quantity)))
        self.model[key][0] += quantity

    @rule(
        pick=keys,
        quantity=st.integers(1, 5),
        channel=st.sampled_from(sorted(CHANNEL_BUFFERS)),
        hold=st.booleans(),
    )
    def reserve(self, pick, quantity, channel, hold):
        key = self.key(pick)
        buffer = CHANNEL_BUFFERS[channel]
        expected_ok = self.quantities(key).available(buffer) >= quantity
        expires = self.clock.now() + timedelta(minutes=10) if hold else None
        request = ReserveRequest(
            [ReserveLine(*key, quantity)],
            ReservationKind.HOLD if hold else ReservationKind.ORDER,
            new_id("crt" if hold else "ord"),
            channel_id=channel,
            expires_at=expires,
            buffers={key[1]: buffer},
        )
        try:

            async def go() -> None:
                async with self.db.uow() as uow:
                    await reservations.reserve(uow, request)
                    await uow.commit()

            self.run(go())
            ok = True
        except InsufficientStock:
            ok = False
        assert ok == expected_ok
        if ok:
            self.model[key][1] += quantity
            self.active[request.reference] = (*key, quantity, expires)

    def _finish(self, reference: str, consume: bool) -> None:
        async def go() -> int:
            async with self.db.uow() as uow:
                done = await (reservations.consume if consume else reservations.release)(
                    uow, reference
                )
                await uow.commit()
            return done

        variant, location, quantity, _ = self.active.pop(reference)
        assert self.run(go()) == quantity
        self.model[(variant, location)][1] -= quantity
        if consume:
            self.model[(variant, location)][0] -= quantity

    @precondition(lambda self: self.active)
    @rule(data=st.data())
    def release(self, data):
        self._finish(data.draw(st.sampled_from(list(self.active))), consume=False)

    @precondition(lambda self: self.active)
    @rule(data=st.data())
    def consume(self, data):
        self._finish(data.draw(st.sampled_from(list(self.active))), consume=True)

    @rule(minutes=st.integers(1, 30))
    def time_passes_and_the_sweeper_runs(self, minutes):
        self.clock.advance(timedelta(minutes=minutes))

        async def sweep() -> int:
            async with self.db.uow() as uow:
                returned = await reservations.expire_holds(uow, now=self.clock.now())
                await uow.commit()
            return returned

        returned = self.run(sweep())
        due = [
            ref
            for ref, (_, _, _, exp) in self.active.items()
            if exp is not None and exp <= self.clock.now()
        ]
        # >=: the sweeper also expires holds that other examples left in the shared database;
        # the invariant below checks our own levels exactly.
        assert returned >= sum(self.active[ref][2] for ref in due)
        for ref in due:
            variant, location, quantity, _ = self.active.pop(ref)
            self.model[(variant, location)][1] -= quantity

    @rule(pick=keys, delta=st.integers(-6, 6).filter(bool))
    def adjust(self, pick, delta):
        key = self.key(pick)
        allowed = key[1] == self.negative_ok or self.model[key][0] + delta >= 0
        assert (
            self.run(self._change(stock.StockChange(*key, MovementKind.ADJUSTMENT, delta)))
            == allowed
        )
        if allowed:
            self.model[key][0] += delta

    @rule(
        pick=keys,
        quantity=st.integers(1, 4),
        kind=st.sampled_from(["damage", "recovery", "sale", "return_restock"]),
    )
    def direct_change(self, pick, quantity, kind):
        key = self.key(pick)
        on_hand_change, unsellable_change = {
            "damage": (0, quantity),
            "recovery": (0, -quantity),
            "sale": (-quantity, 0),
            "return_restock": (quantity, 0),
        }[kind]
        on_hand_ok = key[1] == self.negative_ok or self.model[key][0] + on_hand_change >= 0
        allowed = on_hand_ok and self.model[key][2] + unsellable_change >= 0
        assert (
            self.run(self._change(stock.StockChange(*key, MovementKind(kind), quantity))) == allowed
        )
        if allowed:
            self.model[key][0] += on_hand_change
            self.model[key][2] += unsellable_change

    @invariant()
    def database_matches_the_model_and_the_ledger(self):
        async def read():  # type: ignore[no-untyped-def]
            async with self.db.reader() as session:
                return await levels(session, self.variants), await ledger_mismatches(session)

        views, mismatches = self.run(read())
        assert mismatches == []
        for view in views:
            key = (view.variant_id, view.location_id)
            q = view.quantities
            assert [q.on_hand, q.reserved, q.unsellable] == self.model[key]
            assert q.reserved >= 0 and q.unsellable >= 0
            if view.location_id != self.negative_ok:
                assert q.on_hand >= 0
            assert q.available() == max(0, q.on_hand - q.reserved - q.unsellable - q.safety_stock)


def test_inventory_ledger_state_machine(settings, database):
    InventoryMachine.database_settings = settings
    run = InventoryMachine.TestCase
    run.settings = settings_for_machine()
    run().runTest()


def settings_for_machine():  # type: ignore[no-untyped-def]
    return hypothesis_settings(
        max_examples=25,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
