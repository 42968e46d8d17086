"""Model fields shared by the domains."""

from django.db import models

from .crypto import decrypt, encrypt

__all__ = ["EncryptedTextField"]


class EncryptedTextField(models.TextField):
    """Text kept encrypted at rest (SM4-GCM, ``core.crypto``): Python sees the clear value, the
    database only ciphertext. It cannot be searched or ordered; pair it with a blind-index column
    (``core.crypto.blind_index``) where a lookup by value is needed."""

    description = "Text encrypted at rest with SM4-GCM"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        # Equal plaintexts encrypt differently (random nonce): only null checks make sense.
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)
