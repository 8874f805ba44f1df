"""Personal data is found by content, blocks publishing, and masked forms pass."""

from __future__ import annotations

import pytest
from data_helpers import MARRIAGE_HEADER, MARRIAGE_ROWS, codes, csv_text, marriage_descriptor

from stdhub.datasets import personal

ID = "11010519491231002X"  # the example of GB 11643-1999 itself
MOBILE = "13812345678"
CARD = "6222021234567890123"  # made Luhn-valid below


def _luhn(prefix: str) -> str:
    return next(prefix + d for d in "0123456789" if personal.luhn_valid(prefix + d))


CARD = _luhn("622202123456789012")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (ID, personal.ID_NUMBER),
        (f"申请人身份证{ID.lower()}，已核实", personal.ID_NUMBER),
        (MOBILE, personal.MOBILE),
        ("联系电话：+86 138-1234-5678", personal.MOBILE),
        ("138 1234 5678", personal.MOBILE),
        (CARD, personal.BANK_CARD),
        (f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}", personal.BANK_CARD),
    ],
)
def test_found(text: str, kind: str) -> None:
    assert personal.find(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "430***********1234",  # masked ID
        "138****5678",  # masked mobile
        "6222 **** **** 1234",  # masked card
        ID[:-1] + "1",  # wrong check character
        "110105194913310021",  # impossible birth date
        "0731-84561234",  # an office's landline
        "430121100201",  # a 12-digit village code
        "23812345678",  # not a mobile prefix
        "138123456789",  # 12 digits: not a mobile
        CARD[:-1] + str((int(CARD[-1]) + 1) % 10),  # fails Luhn
        "52430102MJ1234567X",  # a credit code with letters
        "2025-01-31 12:00:00",
        "",
    ],
)
def test_not_found(text: str) -> None:
    assert personal.find(text) is None


def test_all_digit_credit_code_is_not_a_bank_card() -> None:
    """A unified social credit code can be all digits and pass Luhn; its own check tells it apart."""
    chars = personal._USCC_CHARS
    body = "51430100123456780"
    total = sum(chars.index(c) * w for c, w in zip(body, personal._USCC_WEIGHTS, strict=True))
    code = body + chars[(31 - total % 31) % 31]
    assert personal.uscc_valid(code)
    if code.isdigit() and personal.luhn_valid(code):
        assert personal.find(code) is None
    assert personal.find("51430100123456780" + "Z") is None


def test_mask_never_shows_the_whole_number() -> None:
    assert personal.mask(ID) == "110***********002X"
    assert MOBILE not in personal.mask(MOBILE)


def _planted(catalogue, make_dataset, value: str, *, access: str = "无条件开放") -> None:
    extra = {"access": access}
    if access == "有条件开放":
        extra["access_conditions"] = "向社会事务处书面申请。"
    d = marriage_descriptor(catalogue, **extra)
    d["resources"][0]["schema"]["fields"].append(
        {"name": "office", "type": "string", "title": "登记机关"}
    )
    rows = [[*r, "芙蓉区婚姻登记处"] for r in MARRIAGE_ROWS]
    rows[2][-1] = f"值班：{value}"
    make_dataset(d, {"data/monthly.csv": csv_text([*MARRIAGE_HEADER, "office"], rows)})


@pytest.mark.parametrize(("value", "code"), [(ID, "P001"), (MOBILE, "P002"), (CARD, "P003")])
def test_planted_value_blocks_publishing_and_says_where(
    value, code, catalogue, make_dataset, check
) -> None:
    _planted(catalogue, make_dataset, value)
    for engine in ("auto", "frictionless"):
        report = check(engine)
        assert not report.ok
        p = next(p for p in report.problems if p.code == code)
        assert p.file == "datasets/marriage-test/data/monthly.csv"  # the dataset and its file
        assert (p.line, p.column, p.path) == (4, 5, "office")  # the row and the column
        assert "资源 monthly 第 4 行 office 列" in p.message  # the resource
        assert value not in p.format()  # the report does not repeat the personal data


@pytest.mark.parametrize("value", ["110***********002X", "138****5678", "6222 **** **** 0123"])
def test_masked_value_passes(value, catalogue, make_dataset, check) -> None:
    _planted(catalogue, make_dataset, value)
    assert codes(check()) == ["Q002"]  # `office` is not in the standard; nothing personal


def test_rows_of_a_conditional_dataset_are_not_screened(catalogue, make_dataset, check) -> None:
    """有条件开放: the rows are never published, so they may hold what the applicant needs."""
    _planted(catalogue, make_dataset, ID, access="有条件开放")
    assert check().ok


def test_P004_a_personal_data_element_may_not_be_published(catalogue, make_dataset, check) -> None:
    from stdhub.datasets.tableschema import schema_for

    d = marriage_descriptor(catalogue, conforms_to=["HNMZ/T 0201-2022"])
    d["resources"][0]["schema"] = schema_for(catalogue, "HNMZ/T 0201-2022", "FWDXJBXX")
    header = [f["name"] for f in d["resources"][0]["schema"]["fields"]]
    make_dataset(d, {"data/monthly.csv": csv_text(header, [])})
    found = [p for p in check().problems if p.code == "P004"]
    assert {p.message.split("`")[1] for p in found} == {
        "full_name",
        "citizen_id_number",
        "birth_date",
        "residence_address",
        "phone",
    }
