import pytest

from actions.missing_package import NOT_DELIVERED, STOLEN, WRONG_PERSON, what_happened


@pytest.mark.parametrize("message, kind", [
    ("tracking says delivered but the parcel isn't here", NOT_DELIVERED),
    ("it never arrived", NOT_DELIVERED),
    ("ups lost my package", NOT_DELIVERED),
    ("someone stole my parcel from the doorstep", STOLEN),
    ("porch pirate took it", STOLEN),
    ("it was delivered to the wrong address", WRONG_PERSON),
    ("signed for by someone I don't know", WRONG_PERSON),
    ("my neighbour got it apparently", WRONG_PERSON),
    ("where is my package", None),
    ("/missing_package", None),
])
def test_what_the_customer_says_happened(message, kind):
    assert what_happened(message) == kind
