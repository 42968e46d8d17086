import uuid

from chuangkou.core.ratelimit import count_hit, is_over_limit


def test_hits_are_counted_per_key_until_the_limit():
    key = f"test-ratelimit:{uuid.uuid4()}"
    other = f"test-ratelimit:{uuid.uuid4()}"
    assert not is_over_limit(key, 2)
    assert count_hit(key, window_seconds=60) == 1
    assert not is_over_limit(key, 2)
    assert count_hit(key, window_seconds=60) == 2
    assert is_over_limit(key, 2)
    assert count_hit(other, window_seconds=60) == 1
