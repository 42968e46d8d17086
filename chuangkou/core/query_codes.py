"""Query codes (查询码): what lets a citizen without an account look up their own letter,
application or booking by its number.

Only a digest is stored. It is taken over the number and the code together, so a digest
cannot be replayed against another record; the code is compared upper-cased without spaces
(people type it by hand) and in constant time.
"""

import hashlib
import hmac
import secrets

__all__ = ["QUERY_CODE_ALPHABET", "QUERY_CODE_LENGTH", "new_query_code", "query_code_digest",
           "query_code_matches"]

# Without look-alikes (0/O, 1/I/L).
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def query_code_digest(number: str, code: str) -> str:
    normalised_code = "".join((code or "").split()).upper()
    normalised_number = "".join((number or "").split()).upper()
    return hashlib.sha256(f"{normalised_number}:{normalised_code}".encode()).hexdigest()


def query_code_matches(digest: str, number: str, code: str) -> bool:
    return hmac.compare_digest(digest or "", query_code_digest(number, code))
