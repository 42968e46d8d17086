from chuangkou.core.query_codes import (
    QUERY_CODE_ALPHABET,
    QUERY_CODE_LENGTH,
    new_query_code,
    query_code_digest,
    query_code_matches,
)


def test_new_query_codes_use_the_alphabet_without_look_alikes():
    codes = {new_query_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(code) == QUERY_CODE_LENGTH and set(code) <= set(QUERY_CODE_ALPHABET)
               for code in codes)
    assert not set("01OIL") & set(QUERY_CODE_ALPHABET)


def test_a_digest_matches_its_code_typed_loosely_and_only_for_its_number():
    digest = query_code_digest("BJ2026000001", "ABCD2345")
    assert query_code_matches(digest, "bj2026000001", " abcd 2345 ")
    assert not query_code_matches(digest, "BJ2026000002", "ABCD2345")
    assert not query_code_matches(digest, "BJ2026000001", "ABCD2346")
    assert not query_code_matches("", "BJ2026000001", "ABCD2345")
