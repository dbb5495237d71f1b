"""common/bearer.py: the order backend's and the handoff service's check of the token callers send."""
import pytest

from common.bearer import authorised, header, token

TOKEN = "an-api-token-0123456789abcdefghijklmnop"


@pytest.mark.parametrize("authorization, ok", [
    (f"Bearer {TOKEN}", True),
    (f"Bearer {TOKEN}x", False),
    (f"bearer {TOKEN}", False),
    (TOKEN, False),
    ("Bearer ", False),
    ("", False),
    (None, False),
    ("Bearer tökén", False),
])
def test_only_the_configured_token_passes(authorization, ok):
    assert authorised(authorization, TOKEN) is ok


def test_no_header_passes_when_no_token_is_configured():
    assert not authorised("Bearer ", "") and not authorised("", "")
    assert header(TOKEN) == f"Bearer {TOKEN}" and authorised(header(TOKEN), TOKEN)


@pytest.mark.parametrize("authorization, carried", [
    (f"Bearer {TOKEN}", TOKEN), ("Bearer ", None), (f"bearer {TOKEN}", None), (f"Basic {TOKEN}", None),
    (TOKEN, None), ("", None), (None, None),
])
def test_the_token_a_header_carries_is_read_from_the_bearer_scheme_only(authorization, carried):
    assert token(authorization) == carried
