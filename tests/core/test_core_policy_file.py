from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.core.policy import Policy, PolicyError
from bot.core.roles import Role
from bot.policy_file import load_policy

VALID = """
timezone = "Europe/Berlin"
invoice_threshold = 0.5
work_start = 08:00:00

[meeting]
weekday = "fri"
at = "10:00"

[approval.contract]
chain = ["general_manager"]

[[approval.special_terms.bands]]
roles = ["supervisor"]
max_discount = 0.05
"""


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding=encoding)
    return path


def test_no_file_means_the_defaults() -> None:
    assert load_policy(None) == Policy()


def test_a_valid_file_overrides_the_defaults(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, VALID))

    assert policy.timezone == "Europe/Berlin"
    assert str(policy.invoice_threshold) == "0.5"
    assert policy.work_start == time(8, 0)
    assert (policy.meeting.weekday, policy.meeting.at) == (4, time(10, 0))
    assert policy.approval["contract"].chain == (Role.general_manager,)
    assert policy.approval["special_terms"].bands[0].roles == (Role.supervisor,)
    assert policy.invite_ttl_days == Policy().invite_ttl_days


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("timezone = Asia/Shanghai\n", "POLICY_FILE"),  # unquoted string: not TOML
        ("[meeting\nweekday = 'sat'\n", "POLICY_FILE"),
        ("invoice_threshold = 1.5\n", "invoice_threshold"),
        ('[meeting]\nweekday = "caturday"\n', "meeting.weekday"),
        ('[approval.contract]\ncc = ["boss"]\n', "approval.contract.cc"),
        ('[approval.invoice]\ncc = "finance_vp"\n', "approval.invoice.cc"),
    ],
)
def test_a_bad_file_names_what_is_wrong(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(write(tmp_path, text))

    assert caught.value.key == key


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"

    with pytest.raises(PolicyError) as caught:
        load_policy(missing)

    assert caught.value.key == "POLICY_FILE"
    assert str(missing) in caught.value.problem


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, '# 公司政策\ntimezone = "Asia/Shanghai"\n', encoding="gbk")

    with pytest.raises(PolicyError) as caught:
        load_policy(path)

    assert caught.value.key == "POLICY_FILE"


def test_cc_names_roles_or_the_requesters_supervisor(tmp_path: Path) -> None:
    text = '[approval.invoice]\ncc = ["accountant", "requester_supervisor"]\n'

    policy = load_policy(write(tmp_path, text))

    assert policy.approval["invoice"].cc == ("accountant", "requester_supervisor")
    assert policy.approval["contract"].cc == ("requester_supervisor",)
    assert policy.approval["special_terms"].cc == ()
