"""RFID tags to trade items: decode an EPC (SGTIN) into its GTIN-14 (INV8 scan uploads).

Pure functions, no I/O. Handheld and fixed readers report the 96-bit EPC memory as 24
hex digits; middleware often reports URIs instead, so the EPC URI forms are accepted
too. Only SGTIN (serialised GTIN) tags identify a trade item; any other scheme (SSCC
pallets, GRAI crates …) is refused with a reason, never guessed.

Layout of an SGTIN-96 (GS1 EPC Tag Data Standard, "SGTIN-96 coding table"):

    header 8 bits (0x30) | filter 3 | partition 3 | company prefix + item reference 44 | serial 38

The partition value says how the 44 bits split between the GS1 company prefix and the
item reference (see ``PARTITIONS``). The item reference field starts with the GTIN's
indicator digit (a zero pad for GTIN-12/13), so the GTIN-14 is
``indicator + company prefix + rest of item reference + check digit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import ean

SGTIN96_HEADER = 0x30
SGTIN96_HEX_DIGITS = 24
# partition → (company prefix bits, digits, item reference bits, digits): TDS Table 14-2.
PARTITIONS: dict[int, tuple[int, int, int, int]] = {
    0: (40, 12, 4, 1),
    1: (37, 11, 7, 2),
    2: (34, 10, 10, 3),
    3: (30, 9, 14, 4),
    4: (27, 8, 17, 5),
    5: (24, 7, 20, 6),
    6: (20, 6, 24, 7),
}
# Headers a reader in a shop is likely to meet, for a readable refusal.
OTHER_SCHEMES = {0x31: "SSCC-96", 0x32: "SGLN-96", 0x33: "GRAI-96", 0x34: "GIAI-96"}
_HEX = re.compile(r"^[0-9A-Fa-f]+$")
_URI = re.compile(
    r"^urn:epc:(?:id:sgtin:|tag:sgtin-(?:96|198):[0-7]\.)(\d{6,12})\.(\d{1,7})\.([!-~]{1,60})$"
)


class EpcError(ValueError):
    """Not a decodable SGTIN; the message says why (shown per row of an upload)."""


@dataclass(frozen=True)
class Sgtin:
    company_prefix: str
    # Indicator digit (or zero pad) followed by the item reference, as in the EPC URI.
    item_reference: str
    serial: str
    filter: int | None = None  # only on the tag itself, not in the pure identity URI

    @property
    def gtin(self) -> str:
        """The GTIN-14, with its check digit computed (GS1 mod-10)."""
        body = self.item_reference[0] + self.company_prefix + self.item_reference[1:]
        return body + ean.calc_check_digit(body)

    @property
    def uri(self) -> str:
        """The pure identity URI: one spelling per physical tag, whatever the encoding."""
        return f"urn:epc:id:sgtin:{self.company_prefix}.{self.item_reference}.{self.serial}"


def decode_sgtin96(hex_epc: str) -> Sgtin:
    """Decode the 24 hex digits of an SGTIN-96 EPC bank."""
    text = hex_epc.strip()
    if len(text) != SGTIN96_HEX_DIGITS or not _HEX.match(text):
        raise EpcError("An EPC is 24 hexadecimal digits (96 bits).")
    value = int(text, 16)
    header = value >> 88
    if header != SGTIN96_HEADER:
        scheme = OTHER_SCHEMES.get(header, f"header 0x{header:02X}")
        raise EpcError(f"Not an SGTIN-96 tag ({scheme}): it does not identify a trade item.")
    filter_value = (value >> 85) & 0b111
    partition = (value >> 82) & 0b111
    if partition not in PARTITIONS:
        raise EpcError(f"Partition {partition} does not exist (0-6).")
    prefix_bits, prefix_digits, reference_bits, reference_digits = PARTITIONS[partition]
    prefix = (value >> (38 + reference_bits)) & ((1 << prefix_bits) - 1)
    reference = (value >> 38) & ((1 << reference_bits) - 1)
    # The bit fields are wider than their decimal digits: a value that does not fit is a
    # corrupt or non-GS1 tag, not a number to truncate.
    if prefix >= 10**prefix_digits or reference >= 10**reference_digits:
        raise EpcError("The company prefix or item reference is out of range for its partition.")
    return Sgtin(
        company_prefix=str(prefix).zfill(prefix_digits),
        item_reference=str(reference).zfill(reference_digits),
        serial=str(value & ((1 << 38) - 1)),
        filter=filter_value,
    )


def parse_uri(uri: str) -> Sgtin:
    """``urn:epc:id:sgtin:CP.IR.S`` or ``urn:epc:tag:sgtin-96:F.CP.IR.S``."""
    match = _URI.match(uri.strip())
    if match is None:
        raise EpcError("Not an SGTIN EPC URI (urn:epc:id:sgtin:…).")
    prefix, reference, serial = match.groups()
    if len(prefix) + len(reference) != 13:
        raise EpcError("Company prefix and item reference must have 13 digits together.")
    return Sgtin(company_prefix=prefix, item_reference=reference, serial=serial)


def parse_epc(code: str) -> Sgtin:
    """A tag as a reader or middleware reports it: 24 hex digits or an EPC URI."""
    text = code.strip()
    return parse_uri(text) if text.lower().startswith("urn:") else decode_sgtin96(text)


def normalize_gtin(code: str) -> str:
    """A GTIN-8/12/13/14 with a valid check digit as 14 digits (how the catalog stores
    them); ``ValueError`` otherwise."""
    digits = code.strip()
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14) or not ean.is_valid(digits):
        raise ValueError("Not a GTIN-8/12/13/14 with a valid check digit.")
    return digits.zfill(14)
