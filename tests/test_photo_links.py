"""Signed upload links for return photos (common/photo_links.py): for one order, one slot and
one conversation, open for 15 minutes, made only with the API token."""
from datetime import datetime, timedelta, timezone

import pytest

from common.photo_links import link_query, valid

TOKEN = "the-api-token"
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=timezone.utc)


def checked(order="40512360", slot="front", conversation="c1", at=NOW, token=TOKEN, **changes):
    query = {**link_query(TOKEN, "40512360", "front", "c1", now=NOW), **changes}
    return valid(token, order, slot, conversation, query["expires"], query["signature"], now=at)


def test_a_link_opens_its_own_upload_until_it_expires():
    assert checked()
    assert checked(at=NOW + timedelta(minutes=14))
    assert not checked(at=NOW + timedelta(minutes=16))


@pytest.mark.parametrize("other", [{"order": "40512345"}, {"slot": "back"}, {"conversation": "c2"},
                                   {"token": "another-token"}])
def test_a_link_opens_nothing_else(other):
    assert not checked(**other)


@pytest.mark.parametrize("expires", ["", "soon", "-1", "99999999999999999999", str(int((NOW + timedelta(days=2)).timestamp()))])
def test_a_link_with_a_made_up_expiry_is_refused(expires):
    assert not checked(expires=expires)


def test_a_link_without_a_signature_is_refused():
    assert not checked(signature="")
