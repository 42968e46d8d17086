"""Encryption at rest (SM4-GCM) and blind indexes (HMAC-SM3): round trips, tamper detection,
key rotation, index stability and separation, and the refusal to run in production without
keys from the environment (个人信息保护法 第五十一条, GB/T 39786-2021)."""

import base64
import stat

import pytest
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from chuangkou.core import crypto
from chuangkou.core.checks import personal_data_keys_are_configured

OLD = "test:00112233445566778899aabbccddeeff"
NEW = "2027a:0f1e2d3c4b5a69788796a5b4c3d2e1f0"
INDEX = "ffeeddccbbaa99887766554433221100"


def test_round_trip_returns_the_chinese_plaintext():
    stored = crypto.encrypt("广东省江门市蓬江区建设路38号")
    assert stored.startswith("sm4gcm:test:")
    assert "江门" not in stored
    assert crypto.decrypt(stored) == "广东省江门市蓬江区建设路38号"


def test_the_same_plaintext_encrypts_differently_each_time():
    assert crypto.encrypt("13800138001") != crypto.encrypt("13800138001")


def test_the_empty_string_stays_empty_both_ways():
    assert crypto.encrypt("") == ""
    assert crypto.decrypt("") == ""


def _flip_last_byte(stored: str) -> str:
    prefix, key_id, token = stored.split(":")
    raw = bytearray(base64.b64decode(token))
    raw[-1] ^= 0x01
    return f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}"


def test_an_altered_ciphertext_is_detected():
    stored = crypto.encrypt("440703198506150010")
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(_flip_last_byte(stored))


def test_a_value_relabelled_with_another_key_id_is_refused():
    stored = crypto.encrypt("张伟")
    relabelled = stored.replace("sm4gcm:test:", "sm4gcm:2027a:", 1)
    with override_settings(PERSONAL_DATA_KEYS=f"{NEW},{OLD}"), \
            pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(relabelled)


@pytest.mark.parametrize("stored", ["13800138001", "sm4gcm:test:", "sm4gcm:test:@@@",
                                    "sm4gcm:test:" + base64.b64encode(b"short").decode()])
def test_values_that_are_not_ciphertext_are_refused(stored):
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(stored)


def test_after_rotation_old_values_still_decrypt_and_new_values_use_the_new_key():
    old_value = crypto.encrypt("李娜")
    with override_settings(PERSONAL_DATA_KEYS=f"{NEW},{OLD}"):
        assert crypto.decrypt(old_value) == "李娜"
        new_value = crypto.encrypt("李娜")
        assert new_value.startswith("sm4gcm:2027a:")
        assert crypto.decrypt(new_value) == "李娜"
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(new_value)  # the old ring alone does not know the new key


def test_a_retired_key_no_longer_opens_its_values():
    old_value = crypto.encrypt("王芳")
    with override_settings(PERSONAL_DATA_KEYS=NEW), pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(old_value)


def test_the_blind_index_is_stable_and_normalised():
    first = crypto.blind_index("ZhangWei@Example.cn", purpose="contact:email")
    assert first == crypto.blind_index(" zhangwei@example.cn ", purpose="contact:email")
    assert crypto.blind_index("１３８００１３８００１", purpose="contact:mobile") == \
        crypto.blind_index("13800138001", purpose="contact:mobile")
    assert len(first) == 64 and int(first, 16) >= 0


def test_the_blind_index_separates_purposes():
    assert crypto.blind_index("13800138001", purpose="contact:mobile") != \
        crypto.blind_index("13800138001", purpose="id_number")


def test_the_blind_index_depends_on_the_index_key():
    before = crypto.blind_index("13800138001", purpose="contact:mobile")
    with override_settings(PERSONAL_DATA_INDEX_KEY="00" * 16):
        assert crypto.blind_index("13800138001", purpose="contact:mobile") != before


def test_the_blind_index_of_nothing_is_empty():
    assert crypto.blind_index("", purpose="contact:email") == ""


@pytest.mark.parametrize("keys, index", [("", INDEX), (OLD, "")])
def test_production_refuses_to_run_without_keys_from_the_environment(keys, index):
    with override_settings(PERSONAL_DATA_KEYS=keys, PERSONAL_DATA_INDEX_KEY=index,
                           PERSONAL_DATA_KEYS_REQUIRED=True):
        with pytest.raises(ImproperlyConfigured, match="must be set in the environment"):
            crypto.key_ring()
        errors = personal_data_keys_are_configured()
    assert [type(error) for error in errors] == [Error]
    assert errors[0].id == "core.E003"


def test_configured_keys_pass_the_production_check():
    with override_settings(PERSONAL_DATA_KEYS_REQUIRED=True, PERSONAL_DATA_KEYS=f"{NEW},{OLD}"):
        assert personal_data_keys_are_configured() == []


@pytest.mark.parametrize("keys", ["nokey", "a:0011", "a:zz112233445566778899aabbccddeeff",
                                  ",", "a:b:00112233445566778899aabbccddeeff"])
def test_malformed_keys_are_refused_with_the_rule(keys):
    with override_settings(PERSONAL_DATA_KEYS=keys), pytest.raises(ImproperlyConfigured):
        crypto.key_ring()


def test_development_generates_keys_once_under_var_and_keeps_them_private(tmp_path):
    with override_settings(PERSONAL_DATA_KEYS="", PERSONAL_DATA_INDEX_KEY="", VAR_DIR=tmp_path):
        stored = crypto.encrypt("江门市青禾农业科技有限公司")
        digest = crypto.blind_index("13800138001", purpose="contact:mobile")
        key_file = tmp_path / "personal_data_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert (tmp_path / "personal_data_index_key").exists()
        crypto.key_ring.cache_clear()  # as a restarted process would
        assert crypto.decrypt(stored) == "江门市青禾农业科技有限公司"
        assert crypto.blind_index("13800138001", purpose="contact:mobile") == digest
        assert stored.startswith("sm4gcm:local:")
