"""Pure rules of the stored-value ledger: accounts, balanced entries, gift card codes.

No database and no web framework here: the ledger (``ledger.py``) writes what these
rules accept.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from stdnum import luhn

# Points are not money: their accounts count in this unit instead of a currency.
POINTS_UNIT = "PTS"
# Digital codes: no 0/O, 1/I/L, nor Z (read as 2) — read aloud, typed from e-mails. An even
# number of characters on purpose: Luhn mod N catches every single mistyped character
# only when N is even (with 31, "1" and "G" double to the same value).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXY23456789"
DIGITAL_RANDOM_CHARS = 15  # 30**15 ≈ 2**73 codes, plus one check character
# Physical card numbers: 19 random digits and a Luhn digit. Twenty digits on purpose:
# card numbers have 13-19, so the card-data guard of checkout never mistakes one of ours
# for a payment card (a 16-digit number would pass Luhn one time in ten).
PHYSICAL_RANDOM_DIGITS = 19
SHOWN_CHARS = 4


class AccountKind(StrEnum):
    GIFT_CARD = "gift_card"
    STORE_CREDIT = "store_credit"
    POINTS = "points"
    # The other side of every entry (issued, redeemed, breakage): balances derived from
    # postings, never kept in a row (see ``ledger``).
    SYSTEM = "system"


class EntryKind(StrEnum):
    ISSUE = "issue"  # a gift card sold or given, store credit granted
    TOP_UP = "top_up"
    REDEEM = "redeem"  # spent as a tender on an order
    REFUND = "refund"  # given back when such a payment is refunded
    EARN = "earn"  # points for an order


class CodeForm(StrEnum):
    DIGITAL = "digital"
    PHYSICAL = "physical"


class SystemPurpose(StrEnum):
    """The system account on the other side of an entry, per unit."""

    GIFT_CARDS_ISSUED = "gc_issued"
    GIFT_CARDS_REDEEMED = "gc_redeemed"
    STORE_CREDIT_ISSUED = "sc_issued"
    STORE_CREDIT_REDEEMED = "sc_redeemed"
    POINTS_ISSUED = "pt_issued"
    POINTS_REDEEMED = "pt_redeemed"


def system_account_id(purpose: SystemPurpose, unit: str) -> str:
    """Readable and fixed, so an entry names it without a lookup: ``sys_gc_issued_EUR``."""
    return f"sys_{purpose.value}_{unit}"


def owned_account_id(kind: AccountKind, customer_id: str, unit: str) -> str:
    """The one store-credit or points account of a customer in a unit: derived from
    them, so "find or create" is an insert that may find the row already there."""
    prefix = {AccountKind.STORE_CREDIT: "lsc", AccountKind.POINTS: "lpt"}[kind]
    digest = hashlib.sha256(f"{kind}|{customer_id}|{unit}".encode()).hexdigest()
    return f"{prefix}_{digest[:26].upper()}"


@dataclass(frozen=True)
class Posting:
    """One line of an entry: + adds to the account's balance, - takes from it."""

    account_id: str
    amount: int


@dataclass(frozen=True)
class Entry:
    """A journal entry: postings summing to zero, named by what caused it.

    ``(kind, source_id)`` is unique in the journal: posting the same entry again (a
    retried redemption, a repeated accrual event) is recognised and posts nothing."""

    kind: EntryKind
    source_type: str  # "payment", "order", "request"…
    source_id: str
    reason: str
    unit: str
    postings: tuple[Posting, ...]
    order_id: str | None = None
    payment_id: str | None = None


class UnbalancedEntry(ValueError):
    """A programming error: an entry must sum to zero (never shown to a client)."""


def check_balanced(entry: Entry) -> None:
    accounts = [posting.account_id for posting in entry.postings]
    if len(accounts) < 2 or len(set(accounts)) != len(accounts):
        raise UnbalancedEntry("an entry posts to two or more distinct accounts")
    if any(posting.amount == 0 for posting in entry.postings):
        raise UnbalancedEntry("a posting moves a non-zero amount")
    if sum(posting.amount for posting in entry.postings) != 0:
        raise UnbalancedEntry("an entry's postings sum to zero")


def new_code(form: CodeForm) -> str:
    """A new gift card code from the system's CSPRNG, with its check character."""
    if form is CodeForm.PHYSICAL:
        body = "".join(secrets.choice("0123456789") for _ in range(PHYSICAL_RANDOM_DIGITS))
        return body + luhn.calc_check_digit(body)
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(DIGITAL_RANDOM_CHARS))
    return body + luhn.calc_check_digit(body, alphabet=CODE_ALPHABET)


def normalize_code(raw: str) -> str:
    """What a person typed, as stored: separators dropped, upper case."""
    return "".join(ch for ch in raw.upper() if ch not in " -")


def code_form(code: str) -> CodeForm | None:
    """The form of a normalized code whose check character is right; None otherwise
    (a typo is caught here, before any lookup)."""
    if len(code) == PHYSICAL_RANDOM_DIGITS + 1 and code.isascii() and code.isdigit():
        return CodeForm.PHYSICAL if luhn.is_valid(code) else None
    if len(code) == DIGITAL_RANDOM_CHARS + 1 and all(ch in CODE_ALPHABET for ch in code):
        return CodeForm.DIGITAL if luhn.is_valid(code, alphabet=CODE_ALPHABET) else None
    return None


def hash_code(secret: str, code: str) -> str:
    """The lookup key of a normalized code: a keyed hash, so a copy of the table alone
    cannot be turned back into spendable codes (the key lives in the settings)."""
    return hmac.new(secret.encode(), code.encode(), hashlib.sha256).hexdigest()


def shown_part(code: str) -> str:
    return code[-SHOWN_CHARS:]


def mask(last_chars: str) -> str:
    """How a code is shown everywhere but the response that issued it."""
    return f"•••• {last_chars}"


def grouped(code: str) -> str:
    """A code as printed or e-mailed: in groups of four."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def points_for(total_minor: int, minor_digits: int, points_per_unit: int) -> int:
    """Points earned on ``total_minor``: ``points_per_unit`` per whole currency unit."""
    return (total_minor // 10**minor_digits) * points_per_unit


def points_to_pay(amount_minor: int, point_value_minor: int) -> int | None:
    """Points spent to pay ``amount_minor``; None unless it is a whole number of points
    (no rounding in anyone's favour: the tender amount must fit)."""
    if point_value_minor <= 0 or amount_minor % point_value_minor:
        return None
    return amount_minor // point_value_minor
