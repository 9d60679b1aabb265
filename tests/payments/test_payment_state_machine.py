"""Hypothesis state machine: random sequences of authorize / capture / close / void /
refund / fail / cancel on one payment. Whatever the order, the amounts keep
0 <= refunded <= captured <= authorized <= amount, accepted captures and refunds add up,
and a refused step changes nothing."""

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from omni.kernel.errors import DomainError
from omni.kernel.money import Money
from omni.payments.domain import Payment, PaymentStatus, TenderKind

S = PaymentStatus
AMOUNT = 10_000
amounts = st.integers(min_value=-100, max_value=AMOUNT + 100)
# Steps sized against what is left, so partial and exact captures and refunds all happen.
finals = st.sampled_from([False, False, False, True])  # mostly leave the capture open
portions = st.sampled_from(["quarter", "half", "all", "one_too_many", "any"])


def sized(portion: str, room: int, any_value: int) -> int:
    return {
        "quarter": room // 4,
        "half": room // 2,
        "all": room,
        "one_too_many": room + 1,
        "any": any_value,
    }[portion]


def jpy(value: int) -> Money:
    return Money(value, "JPY")


class PaymentMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.payment = Payment.start(TenderKind.CARD_ONLINE, jpy(AMOUNT))
        self.captures: list[int] = []
        self.refunds: list[int] = []

    def attempt(self, step, should_succeed: bool) -> bool:  # type: ignore[no-untyped-def]
        before = self.payment
        try:
            self.payment = step(before)
        except DomainError:
            assert not should_succeed, "refused a step the rules allow"
            assert self.payment == before
            return False
        assert should_succeed, "accepted a step the rules refuse"
        return True

    @rule()
    def require_action(self) -> None:
        self.attempt(lambda p: p.require_action(), self.payment.status is S.PENDING)

    @rule(portion=portions, any_value=amounts)
    def authorize(self, portion: str, any_value: int) -> None:
        value = sized(portion, AMOUNT, any_value)
        ok = self.payment.status in {S.PENDING, S.REQUIRES_ACTION} and 0 < value <= AMOUNT
        self.attempt(lambda p: p.authorize(jpy(value)), ok)

    @rule()
    def collect(self) -> None:
        self.attempt(lambda p: p.collect(), self.payment.status is S.PENDING)
        if self.payment.status is S.CAPTURED and not self.captures:
            self.captures.append(AMOUNT)

    @rule(portion=portions, any_value=amounts, final=finals)
    def capture(self, portion: str, any_value: int, final: bool) -> None:
        open_ = self.payment.status in {S.AUTHORIZED, S.PARTIALLY_CAPTURED}
        room = self.payment.authorized.amount - sum(self.captures)
        value = sized(portion, room, any_value)
        step = lambda p: p.capture(jpy(value), final=final)  # noqa: E731
        if self.attempt(step, open_ and 0 < value <= room):
            self.captures.append(value)

    @rule()
    def close_capture(self) -> None:
        self.attempt(lambda p: p.close_capture(), self.payment.status is S.PARTIALLY_CAPTURED)

    @rule(portion=portions, any_value=amounts)
    def refund(self, portion: str, any_value: int) -> None:
        closed = self.payment.status in {S.CAPTURED, S.PARTIALLY_REFUNDED}
        room = sum(self.captures) - sum(self.refunds)
        value = sized(portion, room, any_value)
        if self.attempt(lambda p: p.refund(jpy(value)), closed and 0 < value <= room):
            self.refunds.append(value)

    # Random choice among rules mostly lands where capture and refund are refused; these
    # two keep the live paths (partial captures, partial refunds) well visited.
    @precondition(lambda self: self.payment.status in {S.AUTHORIZED, S.PARTIALLY_CAPTURED})
    @rule(portion=portions, any_value=amounts, final=finals)
    def capture_while_open(self, portion: str, any_value: int, final: bool) -> None:
        self.capture(portion, any_value, final)

    @precondition(lambda self: self.payment.status in {S.CAPTURED, S.PARTIALLY_REFUNDED})
    @rule(portion=portions, any_value=amounts)
    def refund_while_refundable(self, portion: str, any_value: int) -> None:
        self.refund(portion, any_value)

    # One rule for the three dead ends, so random runs spend most steps on the live paths.
    @rule(ending=st.sampled_from(["void", "fail", "cancel"]))
    def end(self, ending: str) -> None:
        if ending == "void":
            self.attempt(lambda p: p.void(), self.payment.status is S.AUTHORIZED)
        else:
            ok = self.payment.status in {S.PENDING, S.REQUIRES_ACTION}
            step = (lambda p: p.fail("card_declined")) if ending == "fail" else Payment.cancel
            self.attempt(step, ok)

    @invariant()
    def amounts_stay_ordered(self) -> None:
        p = self.payment
        assert 0 <= p.refunded.amount <= p.captured.amount <= p.authorized.amount <= AMOUNT

    @invariant()
    def accepted_steps_add_up(self) -> None:
        assert self.payment.captured.amount == sum(self.captures)
        assert self.payment.refunded.amount == sum(self.refunds)

    @invariant()
    def status_agrees_with_amounts(self) -> None:
        p = self.payment
        if p.status in {S.PENDING, S.REQUIRES_ACTION, S.FAILED, S.CANCELED}:
            assert p.authorized.amount == 0
        if p.status in {S.AUTHORIZED, S.VOIDED}:
            assert p.captured.amount == 0 < p.authorized.amount
        if p.status is S.PARTIALLY_CAPTURED:
            assert 0 < p.captured.amount < p.authorized.amount
        if p.status is S.REFUNDED:
            assert p.refunded == p.captured
        if p.status is S.PARTIALLY_REFUNDED:
            assert 0 < p.refunded.amount < p.captured.amount
        assert p.capturable.amount + p.captured.amount <= p.authorized.amount
        assert p.refundable.amount + p.refunded.amount <= p.captured.amount


PaymentMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=30)
TestPaymentAmountsUnderRandomSequences = PaymentMachine.TestCase
