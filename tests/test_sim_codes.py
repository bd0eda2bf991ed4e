"""ptt_app.api.codes: the reference's return-code table, with a meaning and an operator hint for each code."""

from __future__ import annotations

import pytest

from ptt_app.api import codes
from ptt_app.api.types import ApiResult, Outcome

# Every Code of the reference's return-codes.mdx (common table, then business table).
REFERENCE_COMMON = {0, *range(100000000, 100000016), 100000017}
REFERENCE_BUSINESS = {
    410000001, 410000002, 410000003, 410000004, 410000005, 410000006, 410000009, 410000010, 410000011, 410000014,
    410001002, 410001003, 410001004, 410001005, 410001006, 410001007, 410001008, 410001009, 410001010, 410001011,
    410001013, 410001022, 410001023, 410001024, *range(410001025, 410001036), *range(410001041, 410001050),
}


def test_the_table_holds_exactly_the_documented_codes():
    assert set(codes.DOCUMENTED_CODES) == REFERENCE_COMMON | REFERENCE_BUSINESS


def test_each_code_is_in_the_group_of_its_table():
    groups = {code: info.group for code, info in codes.DOCUMENTED_CODES.items()}

    assert {code for code, group in groups.items() if group is codes.CodeGroup.COMMON} == REFERENCE_COMMON


def test_every_documented_code_has_a_meaning_and_a_hint():
    for info in codes.DOCUMENTED_CODES.values():
        assert info.meaning.strip() and info.hint.strip(), info


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("SEQUENCE_OUTDATED", 410001043),
        ("USER_NOT_PUBLISHING", 410001046),
        ("NOT_WALKIE_TALKIE", 410001042),
        ("INSTANCE_NOT_FOUND", 410001002),
        ("AGENT_IS_LISTENING", 410001013),
        ("INSTANCE_LIMIT", 410000011),
        ("GRACEFUL_SHUTDOWN", 410001041),
        ("AGENT_NOT_FOUND", 410001009),
        ("START_LISTENING_FAILED", 410001044),
        ("STOP_LISTENING_FAILED", 410001045),
        ("INVALID_PARAMETER", 410000003),
        ("SIGNATURE_EXPIRED", 100000004),
    ],
)
def test_the_codes_the_app_reacts_to_have_their_documented_numbers(name, number):
    assert getattr(codes, name) == number


@pytest.mark.parametrize("unknown", [410000012, 410000099, 1, -1, 100000016])
def test_an_undocumented_code_gets_no_meaning_and_no_hint(unknown):
    assert codes.describe_code(unknown) is None
    assert codes.hint_for(unknown) is None
    assert codes.code_info(unknown) is None


def test_the_hint_for_a_user_not_publishing_tells_the_operator_what_to_do():
    assert "publish" in codes.hint_for(codes.USER_NOT_PUBLISHING)
    assert "publishing" in codes.describe_code(codes.USER_NOT_PUBLISHING)


def test_an_outdated_sequence_is_explained_as_ignored():
    assert "ignored" in codes.describe_code(codes.SEQUENCE_OUTDATED)


def test_every_public_constant_is_in_the_table():
    constants = {
        name: value for name, value in vars(codes).items()
        if name.isupper() and isinstance(value, int) and not isinstance(value, bool)
    }

    assert set(constants.values()) <= set(codes.DOCUMENTED_CODES)


def _result(code: int, message: str) -> ApiResult:
    return ApiResult("StartListening", 1, 0.0, 1.0, Outcome.API_ERROR, 200, code, message, "r")


def test_the_explanation_of_a_result_adds_the_documented_meaning_and_keeps_an_unknown_code_verbatim():
    known = _result(codes.INSTANCE_NOT_FOUND, "gone").explanation()
    unknown = _result(410009999, "who knows").explanation()

    assert known.startswith("Code 410001002: gone (") and "not found" in known
    assert unknown == "Code 410009999: who knows"
