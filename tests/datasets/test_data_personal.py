"""Personal data is found by content, blocks publishing, and masked forms pass."""

from __future__ import annotations

import pytest
from data_helpers import MARRIAGE_HEADER, MARRIAGE_ROWS, codes, csv_text, marriage_descriptor
from stdnum import luhn
from stdnum.cn import uscc

from stdhub import personal

ID = "11010519491231002X"  # the example of GB 11643-1999 itself
MOBILE = "13812345678"
CARD = "6222021234567890123"  # made Luhn-valid below


CARD = "622202123456789012" + luhn.calc_check_digit("622202123456789012")


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
    for i in range(10_000):
        body = f"5143010012345{i:04d}"
        code = body + uscc.calc_check_digit(body)
        if code.isdigit() and luhn.is_valid(code):
            break
    assert personal.find(code) is None
    assert personal.find("51430100123456780" + "Z") is None


def test_mask_never_shows_the_whole_number() -> None:
    assert personal.mask(ID) == "110***********002X"
    long_cell = "备注" * 3500 + MOBILE + "。"
    report_text = personal.find_all(long_cell)[0].masked
    assert report_text == "138****5678"
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


def _phone_book(catalogue, cells: dict[str, list[str]], types: dict[str, str], **extra):
    """A published one-resource package whose columns hold `cells` (all columns equally long)."""
    d = marriage_descriptor(catalogue, **extra)
    names = list(cells)
    d["resources"][0]["schema"] = {
        "fields": [{"name": n, "type": types.get(n, "string"), "title": n} for n in names]
    }
    rows = [list(r) for r in zip(*cells.values(), strict=True)]
    return d, {"data/monthly.csv": csv_text(names, rows)}


@pytest.mark.parametrize(
    ("kind", "value", "code"),
    [
        ("integer", "430102199003077417", "P001"),
        ("integer", MOBILE, "P002"),
        ("number", "4.301031990030712e+17", "P001"),
        ("number", "6228480012345671", "P003"),
        ("number", MOBILE + ".0", "P002"),
    ],
)
def test_every_column_is_screened_whatever_its_type(
    kind, value, code, catalogue, make_dataset, check
) -> None:
    d, files = _phone_book(
        catalogue, {"n": ["1", "2"], "v": ["7", value]}, {"n": "integer", "v": kind}
    )
    make_dataset(d, files)
    for engine in ("auto", "frictionless"):
        found = [
            (p.line, p.path, p.code) for p in check(engine).problems if p.code.startswith("P00")
        ]
        assert (3, "v", code) in found, (engine, found)


def test_a_long_cell_shows_only_the_masked_number(catalogue, make_dataset, check) -> None:
    cell = "情况说明" * 1800 + f"，联系人手机 {MOBILE}，" + "其余略" * 100
    d, files = _phone_book(catalogue, {"note": ["无", cell]}, {})
    make_dataset(d, files)
    p = next(p for p in check().problems if p.code == "P002")
    assert "138****5678" in p.message and "情况说明" not in p.message and len(p.format()) < 300


def test_descriptor_texts_are_screened(catalogue, make_dataset, check) -> None:
    """Description, contact and field descriptions are published even for 有条件开放."""
    d, files = _phone_book(catalogue, {"note": ["无"]}, {})
    d.update(access="有条件开放", access_conditions="向社会事务处书面申请。")
    d["description"] = f"经办人身份证 {ID[:6]} {ID[6:14]} {ID[14:]}，请勿外传。"
    d["contact"] = {"name": "某某", "phone": "+86 138-1234-5678"}
    d["resources"][0]["schema"]["fields"][0]["description"] = f"例如 {CARD}"
    make_dataset(d, files)
    found = {(p.code, p.path) for p in check().problems if p.code.startswith("P00")}
    assert found == {
        ("P001", "$.description"),
        ("P002", "$.contact.phone"),
        ("P003", "$.resources[0].schema.fields[0].description"),
    }
    p = next(p for p in check().problems if p.code == "P002")
    assert p.file.endswith("datapackage.yaml") and p.line > 1 and MOBILE not in p.format()


def test_public_contact_field_publishes_mobiles_but_never_ids(
    catalogue, make_dataset, check
) -> None:
    cells = {"name": ["甲福利院", "乙福利院"], "phone": [MOBILE, ID]}
    d, files = _phone_book(catalogue, cells, {})
    d["personal_data"] = {
        "public_contact": [{"field": "phone", "reason": "福利院对外公布的值班手机"}]
    }
    make_dataset(d, files)
    found = [(p.code, p.line) for p in check().problems if p.code.startswith("P00")]
    assert found == [("P001", 3)]


def test_P005_personal_like_column_warns_until_declared(catalogue, make_dataset, check) -> None:
    d, files = _phone_book(catalogue, {"lxdh": ["0731-84411234"]}, {})
    d["resources"][0]["schema"]["fields"][0]["title"] = "联系电话"
    make_dataset(d, files)
    p = next(p for p in check().problems if p.code == "P005")
    assert "lxdh" in p.message and "联系电话" in p.message and p.severity == "warning"
    d["personal_data"] = {"public_contact": [{"field": "lxdh", "reason": "机构对外办公电话"}]}
    make_dataset(d, files)
    assert "P005" not in codes(check())


def test_allow_list_entry_lets_one_reviewed_value_through(catalogue, make_dataset, check) -> None:
    d, files = _phone_book(catalogue, {"hotline": [MOBILE, "13912345678"]}, {})
    make_dataset(d, files)
    first = next(p for p in check().problems if p.code == "P002" and p.line == 2)
    digest = first.message.split("sha256:")[1][:16]
    d["personal_data"] = {
        "allow": [
            {
                "sha256": digest,
                "reason": "救助热线，对外公布",
                "reviewer": "张某",
                "date": "2026-01-15",
            }
        ]
    }
    make_dataset(d, files)
    assert [(p.code, p.line) for p in check().problems if p.code.startswith("P00")] == [("P002", 3)]


@pytest.mark.parametrize(
    "block",
    [
        {
            "allow": [
                {
                    "sha256": "xyz",
                    "reason": "对外公布的热线",
                    "reviewer": "张某",
                    "date": "2026-01-15",
                }
            ]
        },
        {"allow": [{"sha256": "0" * 16, "reason": "对外公布的热线", "reviewer": "张某"}]},
        {"allow": [{"sha256": "0" * 16, "reason": "短", "reviewer": "张某", "date": "2026-02-30"}]},
        {"public_contact": [{"field": "nope", "reason": "对外公布的热线"}]},
        {"public_contact": [{"field": "hotline"}]},
        {"public_contact": [{"field": ["x"], "resource": {"a": 1}, "reason": "对外公布的热线"}]},
        {"public_contact": "hotline"},
        {"allow": [{"sha256": 12, "reason": 5, "reviewer": None, "date": 20260115}]},
        [],
        {"everything": True},
    ],
)
def test_P006_malformed_declarations_grant_nothing(block, catalogue, make_dataset, check) -> None:
    d, files = _phone_book(catalogue, {"hotline": [MOBILE]}, {})
    d["personal_data"] = block
    make_dataset(d, files)
    report = check()
    p6 = next(p for p in report.problems if p.code == "P006")
    assert p6.file.endswith("datapackage.yaml") and p6.path.startswith("$.personal_data")
    assert "P002" in codes(report)
