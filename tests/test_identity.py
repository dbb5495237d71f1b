"""Signed customer tokens: only a valid, unexpired token for our audience names a customer."""
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from actions.identity import IdentityError, TokenSettings, verified_customer

SECRET = "test-secret-of-at-least-32-bytes-long!!"
HS = TokenSettings(audience="assistant", secret=SECRET)


def token(key=SECRET, algorithm="HS256", **claims):
    body = {"sub": "cus_ana", "aud": "assistant", "exp": int(time.time()) + 600, **claims}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, key, algorithm=algorithm)


def test_a_valid_token_names_the_customer():
    assert verified_customer(token(), HS) == "cus_ana"


def test_no_token_is_an_anonymous_customer():
    assert verified_customer(None, HS) is None and verified_customer("", HS) is None


@pytest.mark.parametrize("bad, reason", [
    (lambda: token(exp=int(time.time()) - 10), "expired"),
    (lambda: token(key="another-secret-of-at-least-32-bytes!!"), "invalid"),
    (lambda: token(aud="someone-else"), "invalid"),
    (lambda: token(exp=None), "invalid"),  # exp is required
    (lambda: token(sub=None), "invalid"),
    (lambda: jwt.encode({"sub": "cus_ana", "aud": "assistant", "exp": int(time.time()) + 600}, None,
                        algorithm="none"), "invalid"),  # unsigned
    (lambda: "not.a.token", "invalid"),
])
def test_untrustworthy_tokens_are_refused(bad, reason):
    with pytest.raises(IdentityError) as error:
        verified_customer(bad(), HS)
    assert error.value.reason == reason


def test_rs256_with_the_websites_public_key():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    settings = TokenSettings(audience="assistant", public_key=public_pem)
    assert verified_customer(token(key=private, algorithm="RS256"), settings) == "cus_ana"
    # an HS256 token signed with the public key as secret (algorithm confusion) is refused
    with pytest.raises(IdentityError):
        verified_customer(token(key=SECRET), settings)


@pytest.mark.parametrize("text, postcode", [
    ("75011", "75011"), ("SW1A 2HQ", "SW1A 2HQ"), (" 10001-1234 ", "10001-1234"),
    ("hello", None), ("my postcode is 75011", None), ("40512345678901", None),
])
def test_a_postcode_typed_on_its_own(text, postcode):
    from actions.identity import postcode_in

    assert postcode_in(text) == postcode


def test_emails_are_masked_when_echoed():
    from actions.identity import mask_email

    assert mask_email("jane.doe@example.com") == "j***@example.com"
    assert mask_email("not an email") is None
