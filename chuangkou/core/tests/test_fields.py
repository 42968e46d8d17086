"""``EncryptedTextField``: the database holds only ciphertext (read back through a raw cursor),
Python sees the clear value, tampering surfaces as an error, rotation re-encrypts on save, and
lookups that cannot work on ciphertext are refused. The citizen's personal data is the model
exercised (the first user of the field)."""

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings

from chuangkou.accounts.choices import IdentityLevel
from chuangkou.accounts.models import PersonalData
from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.core.crypto import DecryptionFailed

pytestmark = pytest.mark.django_db

NEW_RING = "2027a:0f1e2d3c4b5a69788796a5b4c3d2e1f0,test:00112233445566778899aabbccddeeff"


# Literal statements per column: the raw reads bypass the field on purpose.
SELECT = {
    "mobile": "SELECT mobile FROM accounts_personaldata WHERE id = %s",
    "email": "SELECT email FROM accounts_personaldata WHERE id = %s",
    "real_name": "SELECT real_name FROM accounts_personaldata WHERE id = %s",
    "id_number": "SELECT id_number FROM accounts_personaldata WHERE id = %s",
    "address": "SELECT address FROM accounts_personaldata WHERE id = %s",
}


def raw(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(SELECT[column], [pk])
        return cursor.fetchone()[0]


def write_raw_real_name(pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_personaldata SET real_name = %s WHERE id = %s",
                       [value, pk])


@pytest.fixture
def data():
    account = make_citizen(mobile="13800138001", email="zhangwei@example.cn",
                           level=IdentityLevel.REAL_NAME, real_name="张伟",
                           id_number="440703198506150010")
    return PersonalData.objects.get(account=account)


def test_stored_columns_hold_no_plaintext(data):
    for column, plain in (("mobile", "13800138001"), ("email", "zhangwei@example.cn"),
                          ("real_name", "张伟"), ("id_number", "440703198506150010")):
        stored = raw(column, data.pk)
        assert stored.startswith("sm4gcm:test:"), column
        assert plain not in stored, column


def test_python_reads_the_clear_values(data):
    fresh = PersonalData.objects.get(pk=data.pk)
    assert (fresh.mobile, fresh.email, fresh.real_name, fresh.id_number) == (
        "13800138001", "zhangwei@example.cn", "张伟", "440703198506150010")


def test_an_empty_optional_value_is_stored_empty(data):
    assert raw("address", data.pk) == ""
    assert PersonalData.objects.get(pk=data.pk).address == ""


def test_a_value_altered_in_the_database_is_refused_on_read(data):
    stored = raw("real_name", data.pk)
    write_raw_real_name(data.pk, stored[:-4] + ("AAAA" if stored[-4:] != "AAAA" else "BBBB"))
    with pytest.raises(DecryptionFailed):
        PersonalData.objects.get(pk=data.pk)


def test_saving_after_rotation_re_encrypts_with_the_new_key(data):
    with override_settings(PERSONAL_DATA_KEYS=NEW_RING):
        fresh = PersonalData.objects.get(pk=data.pk)
        assert fresh.mobile == "13800138001"
        fresh.save()
        assert raw("mobile", data.pk).startswith("sm4gcm:2027a:")
        assert PersonalData.objects.get(pk=data.pk).mobile == "13800138001"


def test_searching_an_encrypted_column_by_value_is_refused(data):
    with pytest.raises(FieldError):
        list(PersonalData.objects.filter(mobile__contains="1380013"))
    assert PersonalData.objects.filter(address__isnull=False).count() == 1
