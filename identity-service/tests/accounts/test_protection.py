"""Personal data at rest: AES-GCM bound to owner and field; keyed blind index; masking."""

import os

import pytest
from cryptography.exceptions import InvalidTag

from identity_service.accounts.protection import PersonalDataCipher, mask_document, mask_email, mask_phone


def cipher(index_key: bytes = b"i" * 32) -> PersonalDataCipher:
    return PersonalDataCipher(encryption_key=b"k" * 32, blind_index_key=index_key)


def test_encryption_round_trips_and_hides_the_value() -> None:
    sealed = cipher().encrypt("046085001234", field="document_number", owner_id="a1")
    assert sealed is not None and "046085001234" not in sealed
    assert cipher().decrypt(sealed, field="document_number", owner_id="a1") == "046085001234"


def test_ciphertext_cannot_be_moved_to_another_account_or_field() -> None:
    sealed = cipher().encrypt("0905123456", field="phone", owner_id="a1")
    with pytest.raises(InvalidTag):
        cipher().decrypt(sealed, field="phone", owner_id="a2")
    with pytest.raises(InvalidTag):
        cipher().decrypt(sealed, field="email", owner_id="a1")


def test_same_value_encrypts_differently_each_time() -> None:
    c = cipher()
    assert c.encrypt("x", field="phone", owner_id="a") != c.encrypt("x", field="phone", owner_id="a")


def test_blind_index_is_stable_per_key_and_differs_between_keys() -> None:
    assert cipher().blind_index("phone", "0905123456") == cipher().blind_index("phone", "0905123456")
    assert cipher().blind_index("phone", "0905123456") != cipher(os.urandom(32)).blind_index(
        "phone", "0905123456"
    )
    assert cipher().blind_index("phone", "1") != cipher().blind_index("document", "1")


def test_masks_keep_only_a_few_characters() -> None:
    assert mask_document("046085001234") == "*********234"
    assert mask_phone("0905123456") == "090*****56"
    assert mask_email("an.nguyen@example.vn") == "a***@example.vn"
