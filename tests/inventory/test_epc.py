"""EPC (SGTIN-96) decoding: the GS1 EPC Tag Data Standard's worked example, its URI
forms, every partition, and readable refusals for tags that are not trade items."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from omni.inventory import epc
from tests.inventory.documents_support import encode_sgtin96

# GS1 EPC Tag Data Standard, SGTIN-96 example (Annex "Encoding and decoding examples"):
# urn:epc:tag:sgtin-96:3.0614141.812345.6789 is encoded as 3074257BF7194E4000001A85.
# Its GTIN is indicator 8 + company prefix 0614141 + item reference 12345 + check digit:
# 8061414112345 → weights 3,1,3… from the right give check digit 8 (verified by stdnum).
TDS_HEX = "3074257BF7194E4000001A85"
TDS_GTIN = "80614141123458"


def test_the_tag_data_standard_example_decodes_to_its_gtin_and_serial():
    tag = epc.decode_sgtin96(TDS_HEX)
    assert (tag.filter, tag.company_prefix, tag.item_reference, tag.serial) == (
        3,
        "0614141",
        "812345",
        "6789",
    )
    assert tag.gtin == TDS_GTIN
    assert ean.is_valid(tag.gtin)
    assert tag.uri == "urn:epc:id:sgtin:0614141.812345.6789"


def test_hex_case_and_surrounding_space_do_not_matter():
    assert epc.parse_epc(f"  {TDS_HEX.lower()} ").gtin == TDS_GTIN


def test_the_uri_forms_name_the_same_tag_as_the_hex():
    from_hex = epc.parse_epc(TDS_HEX)
    tag_uri = epc.parse_epc("urn:epc:tag:sgtin-96:3.0614141.812345.6789")
    pure_uri = epc.parse_epc("urn:epc:id:sgtin:0614141.812345.6789")
    assert tag_uri.gtin == pure_uri.gtin == TDS_GTIN
    assert tag_uri.uri == pure_uri.uri == from_hex.uri


def test_the_standards_pure_identity_example_with_indicator_1():
    # TDS pure identity URI example: urn:epc:id:sgtin:0614141.112345.400
    # → GTIN 1 0614141 12345 + check digit 9 (1061414112345 → 9).
    tag = epc.parse_epc("urn:epc:id:sgtin:0614141.112345.400")
    assert tag.gtin == "10614141123459"
    assert ean.is_valid(tag.gtin) and tag.serial == "400"


@given(
    body=st.text(alphabet="0123456789", min_size=13, max_size=13),
    partition=st.integers(min_value=0, max_value=6),
    serial=st.integers(min_value=0, max_value=2**38 - 1),
    filter_value=st.integers(min_value=0, max_value=7),
)
def test_every_partition_decodes_back_to_the_gtin_it_encodes(body, partition, serial, filter_value):
    gtin = body + ean.calc_check_digit(body)
    tag = epc.decode_sgtin96(
        encode_sgtin96(gtin, serial, partition=partition, filter_value=filter_value)
    )
    assert tag.gtin == gtin and ean.is_valid(tag.gtin)
    assert (tag.serial, tag.filter) == (str(serial), filter_value)
    assert len(tag.company_prefix) + len(tag.item_reference) == 13


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("3074257BF7194E4000001A8", "24 hexadecimal digits"),
        ("3074257BF7194E4000001AZZ", "24 hexadecimal digits"),
        ("3174257BF7194E4000001A85", "SSCC-96"),
        ("E28011606000020000001A85", "header 0xE2"),
        # partition 7 does not exist
        ("307C257BF7194E4000001A85", "Partition 7"),
        # partition 6 (20-bit prefix) holding 1,000,000: more than six digits
        (f"{(0x30 << 88) | (6 << 82) | (1_000_000 << 62):024X}", "out of range"),
        ("urn:epc:id:sgtin:0614141.12345.6789", "13 digits"),
        ("urn:epc:id:sscc:0614141.1234567890", "SGTIN EPC URI"),
    ],
)
def test_codes_that_are_not_sgtins_are_refused_with_a_reason(code, reason):
    with pytest.raises(epc.EpcError, match=reason):
        epc.parse_epc(code)


@pytest.mark.parametrize(
    ("code", "stored"),
    [
        ("96385074", "00000096385074"),  # GTIN-8
        ("036000291452", "00036000291452"),  # UPC-A
        ("4006381333931", "04006381333931"),  # EAN-13
        (TDS_GTIN, TDS_GTIN),
    ],
)
def test_barcodes_are_normalized_to_the_catalogs_14_digits(code, stored):
    assert epc.normalize_gtin(code) == stored


@pytest.mark.parametrize("code", ["4006381333932", "40063813339", "40063813339x1", ""])
def test_barcodes_with_a_wrong_check_digit_or_length_are_refused(code):
    with pytest.raises(ValueError):
        epc.normalize_gtin(code)
