from omni.kernel.ids import is_id, new_id


def test_ids_carry_their_prefix_and_are_well_formed():
    value = new_id("ord")
    assert value.startswith("ord_")
    assert is_id(value, "ord")
    assert not is_id(value, "sku")


def test_ids_sort_by_creation_time():
    earlier = new_id("evt", at_ms=1_700_000_000_000)
    later = new_id("evt", at_ms=1_700_000_000_001)
    assert earlier < later


def test_ids_made_in_the_same_millisecond_differ():
    ids = {new_id("evt", at_ms=1_700_000_000_000) for _ in range(1000)}
    assert len(ids) == 1000


def test_bad_prefixes_are_refused():
    for prefix in ("", "X", "toolongprefix", "a1", "AB"):
        try:
            new_id(prefix)
        except ValueError:
            continue
        raise AssertionError(f"prefix {prefix!r} was accepted")


def test_malformed_ids_are_recognized():
    assert not is_id("ord_123")
    assert not is_id("ORD_01JD5Z6Q6X9K2V3M4N5P6R7S8T")
    assert not is_id("ord_01JD5Z6Q6X9K2V3M4N5P6R7S8U")  # U is not Crockford base32


def test_ids_made_one_after_another_sort_in_that_order():
    made = [new_id("evt") for _ in range(5000)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)
