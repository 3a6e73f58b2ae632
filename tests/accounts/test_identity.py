import pytest
from django.core.exceptions import ValidationError

from cms_site.accounts.services.identity import (
    DocumentType,
    clean_document_number,
    clean_phone,
    last_four,
    mainland_check_character,
)
from tests.helpers import mainland_id


def test_gb11643_check_character_known_example():
    # The standard's published example: 11010519491231002X.
    assert mainland_check_character("11010519491231002") == "X"


def test_lowercase_x_is_normalised():
    assert clean_document_number(DocumentType.MAINLAND_ID, "11010519491231002x") == "11010519491231002X"


def test_wrong_check_digit_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as err:
        clean_document_number(DocumentType.MAINLAND_ID, "110105194912310021")
    assert err.value.code == "id_check_digit"


@pytest.mark.parametrize("raw", ["12345", "11010519491331002X", "1101051949123100AX"])
def test_malformed_mainland_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        clean_document_number(DocumentType.MAINLAND_ID, raw)


@pytest.mark.parametrize("raw", ["P958270(2)", "p958270(2)", "P958270 (2)", "P9582702", "P958270（2）"])
def test_hong_kong_brackets_and_spaces_are_ignored(raw):
    assert clean_document_number(DocumentType.HONG_KONG, raw) == "P9582702"


def test_hong_kong_last_four_includes_the_bracketed_digit():
    assert last_four("P958270(2)") == "2702"


def test_macau_and_taiwan_and_passport():
    assert clean_document_number(DocumentType.MACAU, "1234567(8)") == "12345678"
    assert clean_document_number(DocumentType.TAIWAN, "a123456789") == "A123456789"
    assert clean_document_number(DocumentType.PASSPORT, "e 1234 5678") == "E12345678"
    with pytest.raises(ValidationError):
        clean_document_number(DocumentType.MACAU, "9234567(8)")


def test_phone_normalisation():
    assert clean_phone("+86 138-0013-8000") == "13800138000"
    assert clean_phone("+852 9123 4567") == "+85291234567"
    with pytest.raises(ValidationError):
        clean_phone("12345")


def test_valid_test_ids_pass():
    assert clean_document_number(DocumentType.MAINLAND_ID, mainland_id(5)) == mainland_id(5)
