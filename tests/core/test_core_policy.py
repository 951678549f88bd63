from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.policy import ApprovalRule, Band, Policy, PolicyError, parse_policy
from bot.core.roles import Role

SAT, FRI, MON, TUE = 5, 4, 0, 1


def test_defaults_follow_the_seed() -> None:
    policy = Policy()

    assert (policy.meeting.weekday, policy.meeting.at) == (SAT, time(9, 0))
    assert (policy.meeting.plan_due_weekday, policy.meeting.plan_due) == (FRI, time(18, 0))
    assert policy.invoice_threshold == Decimal("0.60")
    assert policy.approval["special_terms"].chain == (
        Role.supervisor,
        Role.sales_manager,
        Role.marketing_vp,
        Role.general_manager,
    )
    assert policy.invite_ttl_days == 7
    assert policy.targets.confirm_within_days == 2
    assert policy.timezone == "Asia/Shanghai"
    assert policy.tz == ZoneInfo("Asia/Shanghai")


def test_an_empty_file_gives_the_defaults() -> None:
    assert parse_policy({}) == Policy()


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        ({"timezone": "Europe/Berlin"}, lambda p: p.timezone, "Europe/Berlin"),
        ({"default_language": "en"}, lambda p: p.default_language, "en"),
        ({"working_days": ["tue", "Monday", "mon"]}, lambda p: p.working_days, (MON, TUE)),
        ({"work_start": "08:30"}, lambda p: p.work_start, time(8, 30)),
        ({"work_end": time(19, 0)}, lambda p: p.work_end, time(19, 0)),  # a TOML local time
        ({"invite_ttl_days": 30}, lambda p: p.invite_ttl_days, 30),
        ({"invoice_threshold": 0.5}, lambda p: p.invoice_threshold, Decimal("0.5")),
        ({"invoice_threshold": "0.75"}, lambda p: p.invoice_threshold, Decimal("0.75")),
        ({"invoice_threshold": 1}, lambda p: p.invoice_threshold, Decimal(1)),
        ({"meeting": {"weekday": "friday"}}, lambda p: p.meeting.weekday, FRI),
        (
            {"meeting": {"at": "10:30"}},
            lambda p: (p.meeting.weekday, p.meeting.at),
            (SAT, time(10, 30)),
        ),
        ({"meeting": {"plan_due_weekday": "thu"}}, lambda p: p.meeting.plan_due_weekday, 3),
        ({"reminders": {"evening_prompt": "off"}}, lambda p: p.reminders.evening_prompt, None),
        ({"reminders": {"evening_prompt": False}}, lambda p: p.reminders.evening_prompt, None),
        ({"reminders": {"plan_reminder_day": "wed"}}, lambda p: p.reminders.plan_reminder_day, 2),
        ({"deadlines": {"max_reminders": 0}}, lambda p: p.deadlines.max_reminders, 0),
        ({"targets": {"confirm_within_days": 5}}, lambda p: p.targets.confirm_within_days, 5),
        ({"deadlines": {"due_time": "17:00"}}, lambda p: p.deadlines.due_time, time(17, 0)),
        (
            {"approval": {"contract": {"chain": ["general_manager"]}}},
            lambda p: p.approval["contract"],
            # the kind's other settings keep their defaults: 抄送 the requester's supervisor
            ApprovalRule(chain=(Role.general_manager,), cc=("requester_supervisor",)),
        ),
        (
            {"approval": {"contract": {"cc": []}}},
            lambda p: p.approval["contract"].cc,
            (),
        ),
        (
            {
                "approval": {
                    "special_terms": {"bands": [{"roles": ["supervisor"], "max_discount": 0.05}]}
                }
            },
            lambda p: p.approval["special_terms"],
            ApprovalRule(
                chain=Policy().approval["special_terms"].chain,
                bands=(Band(roles=(Role.supervisor,), max_discount=Decimal("0.05")),),
            ),
        ),
    ],
)
def test_overrides(data: dict[str, Any], field: Any, expected: object) -> None:
    assert field(parse_policy(data)) == expected


def test_an_override_leaves_the_other_settings_alone() -> None:
    policy = parse_policy({"approval": {"contract": {"chain": ["general_manager"]}}})

    assert policy.approval["special_terms"] == Policy().approval["special_terms"]
    assert policy.approval["invoice"] == Policy().approval["invoice"]
    assert policy.meeting == Policy().meeting


@pytest.mark.parametrize(
    ("data", "key"),
    [
        # unknown keys, at any depth
        ({"colour": "red"}, "colour"),
        ({"meeting": {"colour": "red"}}, "meeting.colour"),
        ({"approval": {"contract": {"chain": ["admin"], "colour": 1}}}, "approval.contract.colour"),
        (
            {"approval": {"invoice": {"bands": [{"roles": ["rep"], "colour": 1}]}}},
            "approval.invoice.bands[0].colour",
        ),
        # times
        ({"work_start": "25:00"}, "work_start"),
        ({"meeting": {"at": "nine"}}, "meeting.at"),
        ({"meeting": {"at": 9}}, "meeting.at"),
        ({"targets": {"confirm_within_days": 0}}, "targets.confirm_within_days"),
        ({"targets": {"confirm_in": 2}}, "targets.confirm_in"),
        ({"deadlines": {"due_time": ""}}, "deadlines.due_time"),
        ({"reminders": {"evening_prompt": True}}, "reminders.evening_prompt"),
        # weekdays
        ({"meeting": {"weekday": "someday"}}, "meeting.weekday"),
        ({"meeting": {"weekday": 5}}, "meeting.weekday"),
        ({"reminders": {"plan_reminder_day": ""}}, "reminders.plan_reminder_day"),
        ({"working_days": []}, "working_days"),
        ({"working_days": "mon"}, "working_days"),
        ({"working_days": ["mon", "xyz"]}, "working_days"),
        # roles and request kinds
        (
            {"approval": {"special_terms": {"chain": ["supervisor", "ceo"]}}},
            "approval.special_terms.chain",
        ),
        ({"approval": {"contract": {"chain": []}}}, "approval.contract.chain"),
        ({"approval": {"contract": {"chain": "general_manager"}}}, "approval.contract.chain"),
        ({"approval": {"loan": {"chain": ["admin"]}}}, "approval.loan"),
        ({"approval": "yes"}, "approval"),
        ({"approval": {"invoice": {"bands": {"roles": ["rep"]}}}}, "approval.invoice.bands"),
        (
            {"approval": {"invoice": {"bands": [{"max_amount": 100}]}}},
            "approval.invoice.bands[0].roles",
        ),
        (
            {"approval": {"invoice": {"bands": [{"roles": ["cfo"]}]}}},
            "approval.invoice.bands[0].roles",
        ),
        # time zones and languages
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "/etc/localtime"}, "timezone"),
        ({"timezone": 8}, "timezone"),
        ({"default_language": "fr"}, "default_language"),
        # numbers
        ({"invite_ttl_days": -1}, "invite_ttl_days"),
        ({"invite_ttl_days": 0}, "invite_ttl_days"),
        ({"invite_ttl_days": 366}, "invite_ttl_days"),
        ({"invite_ttl_days": 7.5}, "invite_ttl_days"),
        ({"invite_ttl_days": True}, "invite_ttl_days"),
        ({"deadlines": {"remind_before_minutes": -5}}, "deadlines.remind_before_minutes"),
        ({"deadlines": {"max_reminders": 21}}, "deadlines.max_reminders"),
        (
            {"approval": {"invoice": {"bands": [{"roles": ["rep"], "max_amount": -1}]}}},
            "approval.invoice.bands[0].max_amount",
        ),
        (
            {"approval": {"invoice": {"bands": [{"roles": ["rep"], "max_discount": "lots"}]}}},
            "approval.invoice.bands[0].max_discount",
        ),
        ({"invoice_threshold": -0.1}, "invoice_threshold"),
        ({"invoice_threshold": 1.01}, "invoice_threshold"),
        ({"invoice_threshold": "60%"}, "invoice_threshold"),
        ({"invoice_threshold": "NaN"}, "invoice_threshold"),
        ({"invoice_threshold": True}, "invoice_threshold"),
        ({"invoice_threshold": [0.6]}, "invoice_threshold"),
        # sections that are not tables, and the working day's shape
        ({"meeting": "sat"}, "meeting"),
        ({"work_start": "18:00", "work_end": "09:00"}, "work_end"),
        ({"work_start": "09:00", "work_end": "09:00"}, "work_end"),
        ({"work_end": "08:00"}, "work_end"),
    ],
)
def test_a_bad_value_names_its_key(data: dict[str, Any], key: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(data)

    assert caught.value.key == key
    assert str(caught.value).startswith(f"policy: {key}: ")


def test_a_time_with_an_offset_names_its_key() -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy({"work_start": "09:00+08:00"})

    assert caught.value.key == "work_start"


def test_the_currency_is_the_yuan_unless_the_policy_names_another() -> None:
    assert Policy().currency == "CNY"
    assert parse_policy({"currency": "USD"}).currency == "USD"


@pytest.mark.parametrize("value", ["usd", "RMB¥", "", 5, "DOLLAR"])
def test_a_currency_that_is_not_an_iso_code_is_refused(value: object) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy({"currency": value})
    assert caught.value.key == "currency"
