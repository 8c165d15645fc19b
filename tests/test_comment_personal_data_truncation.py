import pytest

from comments.privacy import truncate_ip, truncate_user_agent


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("203.0.113.57", "203.0.113.0"),
        ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"),
        ("::ffff:198.51.100.9", "198.51.100.0"),
        ("not an ip", None),
        ("", None),
        (None, None),
    ],
)
def test_ip_addresses_are_stored_truncated(raw, stored):
    assert truncate_ip(raw) == stored


def test_user_agent_is_truncated_to_the_column_size():
    assert len(truncate_user_agent("Mozilla/5.0 " * 100)) == 255
