from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from bot.core.customer_rules import (
    Intent,
    VisitKind,
    check_coordinates,
    check_follow_up,
    check_visit_date,
    company_key,
    display_phone,
    distance_m,
    is_probable_duplicate,
    normalize_phone,
    normalize_url,
)
from bot.core.deals import InputProblem

MOBILE = "+8613800138000"
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13800138000", MOBILE),
        ("138 0013 8000", MOBILE),
        ("138-0013-8000", MOBILE),
        ("138.0013.8000", MOBILE),
        ("(138) 0013 8000", MOBILE),
        ("  13800138000\n", MOBILE),
        ("+86 138-0013-8000", MOBILE),
        ("+8613800138000", MOBILE),
        ("(+86) 138 0013 8000", MOBILE),
        ("86 13800138000", MOBILE),
        ("0086 13800138000", MOBILE),
        ("１３８００１３８０００", MOBILE),  # full-width digits from a Chinese keyboard
        ("＋８６ １３８－００１３－８０００", MOBILE),
        ("19912345678", "+8619912345678"),
        ("010-12345678", "+861012345678"),
        ("(021) 6888 8888", "+862168888888"),
        ("0755 8888 8888", "+8675588888888"),
        ("0571-8765432", "+865718765432"),  # 3-digit area code, 7-digit number
        ("+86 10 1234 5678", "+861012345678"),
        ("+86 (0)21 6888 8888", "+862168888888"),  # trunk 0 kept by habit
        ("0086 755 8888 8888", "+8675588888888"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+49 30 1234567", "+49301234567"),
        ("+852 9123 4567", "+85291234567"),
        ("+123 456 789 012 345", "+123456789012345"),  # 15 digits, the E.164 maximum
    ],
)
def test_normalize_phone_accepts(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "+",
        "call me",
        "1380013800O",  # a letter O for a zero
        "138 0013 8000 ext 12",
        "138 0013 8000 #12",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits starting with 1: a mistyped mobile
        "10012345678",  # mobiles never start with 10, 11, 12
        "11012345678",
        "12012345678",
        "+86 12012345678",
        "+86 10123456789",  # 11 digits after +86 that are neither mobile nor landline
        "+86 0 138 0013 8000",  # the trunk 0 belongs to landlines only
        "+86 10 123",
        "2168888888",  # landline without its trunk 0
        "6888 8888",  # no area code
        "011 2345 6789",  # no area code starts with 11
        "86 21 6888 8888",  # 86 without + only in front of a mobile
        "+44 123",  # too short
        "+1234 5678 9012 3456",  # 16 digits
        "+0 123 4567 890",
        "138+0013+8000",
        "١٣٨٠٠١٣٨٠٠٠",  # Arabic-Indic digits are not what the rep meant
    ],
)
def test_normalize_phone_refuses(typed: str) -> None:
    with pytest.raises(InputProblem) as caught:
        normalize_phone(typed)
    assert caught.value.code == "bad_phone"


@pytest.mark.parametrize(
    ("name_a", "name_b"),
    [
        ("Acme Trading Co., Ltd.", "ACME TRADING"),
        ("Acme Trading Co., Ltd.", "Acme  Trading Company Limited"),
        ("Acme Trading Co., Ltd.", "acme-trading llc"),
        ("Acme, Inc.", "ACME inc"),
        ("Acme Corp.", "Acme Corporation"),
        ("Acme Incorporated", "acme"),
        ("Siemens AG", "SIEMENS"),
        ("Nestlé S.A.", "NESTLÉ SA"),
        ("Philips B.V.", "philips bv"),
        ("Müller GmbH", "MÜLLER"),
        ("Tesco PLC", "tesco"),
        ("Lion Pte. Ltd.", "Lion"),
        ("Koala Pty Ltd", "KOALA"),
        ("Ｓｏｎｙ", "sony"),  # full-width letters
        ("上海明华贸易有限公司", "上海明华贸易"),
        ("上海明华贸易有限公司", "上海 明华贸易 有限公司"),
        ("上海明华贸易有限公司", "上海明华贸易公司"),
        ("明华科技股份有限公司", "明华科技"),
        ("明华科技有限责任公司", "明华科技"),
        ("明华集团有限公司", "明华集团"),  # suffixes go repeatedly
        ("明华集团公司", "明华"),
        ("明华贸易北京分公司", "明华贸易北京"),
        ("老王商行", "老王"),
        ("小林设计工作室", "小林设计"),
        ("红星机械厂", "红星机械"),
        ("明华贸易（上海）", "明华贸易(上海)"),  # full-width brackets
        ("明华贸易 Co., Ltd.", "明华贸易有限公司"),
        ("Acme\u200bTrading", "Acme Trading"),  # a zero-width space pasted from a chat
    ],
)
def test_probable_duplicates_match(name_a: str, name_b: str) -> None:
    assert is_probable_duplicate(name_a, name_b)


@pytest.mark.parametrize(
    ("name_a", "name_b"),
    [
        ("Acme Trading", "Acme Tradings"),
        ("上海明华贸易", "北京明华贸易"),
        ("Co-op Foods", "Foods"),  # co is a suffix only at the end
        ("Ltd", "Acme Ltd"),
        ("Acme Trading", "Acme Tradng"),  # no fuzzy matching
        ("明华贸易", "明华商贸"),
        ("Sanco Foods", "San Foods"),  # a suffix inside a word stays
        ("Casa Nova", "Ca Nova"),
        ("Acme Co Trading", "Acme Trading"),
        ("厂房租赁", "房租赁"),  # 厂 only at the end
        ("Acme Trading", "Acme Trading 2"),
        ("...", "!!!"),  # nothing left to compare
    ],
)
def test_different_companies_do_not_match(name_a: str, name_b: str) -> None:
    assert not is_probable_duplicate(name_a, name_b)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Acme Trading Co., Ltd.", "acmetrading"),
        ("上海明华贸易有限公司", "上海明华贸易"),
        ("Ltd", "ltd"),
        ("Co. Ltd.", "coltd"),
        ("集团公司", "集团公司"),
        ("有限公司", "有限公司"),
        ("分公司", "分公司"),
        ("Co-op Foods", "coopfoods"),
        ("J.P. Morgan", "jpmorgan"),
        ("明华co.,ltd", "明华"),
        ("", ""),
    ],
)
def test_company_key(name: str, key: str) -> None:
    assert company_key(name) == key


ROUND_THE_EQUATOR = 2 * math.pi * 6_371_008.8


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((31.2304, 121.4737), (31.2304, 121.4737), 0.0),
        ((31.2304, 121.4737), (31.2400, 121.4900), 1_900.0),  # People's Square → the Bund
        ((39.9042, 116.4074), (31.2304, 121.4737), 1_067_000.0),  # Beijing → Shanghai
        ((0.0, 0.0), (0.0, 1.0), ROUND_THE_EQUATOR / 360),
        ((0.0, 179.5), (0.0, -179.5), ROUND_THE_EQUATOR / 360),  # across the date line
        ((90.0, 0.0), (-90.0, 0.0), ROUND_THE_EQUATOR / 2),
        ((0.0, 0.0), (0.0, 180.0), ROUND_THE_EQUATOR / 2),  # antipodes
    ],
)
def test_distance_m(a: tuple[float, float], b: tuple[float, float], expected: float) -> None:
    assert distance_m(*a, *b) == pytest.approx(expected, rel=0.05, abs=1e-6)
    assert distance_m(*b, *a) == pytest.approx(distance_m(*a, *b))


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(0.0, 0.0), (31.2304, 121.4737), (90.0, 180.0), (-90.0, -180.0), (-33.87, 151.21)],
)
def test_check_coordinates_accepts(lat: float, lon: float) -> None:
    check_coordinates(lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (90.0001, 0.0),
        (-90.0001, 0.0),
        (0.0, 180.0001),
        (0.0, -180.0001),
        (121.4737, 31.2304),  # swapped
        (math.nan, 0.0),
        (0.0, math.nan),
        (math.inf, 0.0),
        (0.0, -math.inf),
    ],
)
def test_check_coordinates_refuses(lat: float, lon: float) -> None:
    with pytest.raises(InputProblem) as caught:
        check_coordinates(lat, lon)
    assert caught.value.code == "bad_location"


@pytest.mark.parametrize(
    ("days_ago", "backdate_days", "problem"),
    [
        (0, 7, None),
        (1, 7, None),
        (7, 7, None),  # exactly at the limit
        (8, 7, "too_old"),
        (30, 7, "too_old"),
        (0, 0, None),
        (1, 0, "too_old"),
        (-1, 7, "future_date"),
        (-1, 0, "future_date"),
    ],
)
def test_check_visit_date(days_ago: int, backdate_days: int, problem: str | None) -> None:
    visited_on = TODAY - timedelta(days=days_ago)
    if problem is None:
        check_visit_date(visited_on, TODAY, backdate_days)
        return
    with pytest.raises(InputProblem) as caught:
        check_visit_date(visited_on, TODAY, backdate_days)
    assert caught.value.code == problem


def test_too_old_names_the_limit() -> None:
    with pytest.raises(InputProblem) as caught:
        check_visit_date(TODAY - timedelta(days=15), TODAY, 14)
    assert caught.value.details == {"days": 14}


@pytest.mark.parametrize(
    ("follow_up", "horizon_days", "problem"),
    [
        (TODAY, 365, None),  # the same day
        (TODAY + timedelta(days=1), 365, None),
        (date(2027, 11, 23), 365, None),  # a year later, the last day
        (date(2027, 11, 24), 365, "follow_up_too_far"),
        (TODAY - timedelta(days=1), 365, "follow_up_before_visit"),
        (TODAY + timedelta(days=30), 30, None),
        (TODAY + timedelta(days=31), 30, "follow_up_too_far"),
    ],
)
def test_check_follow_up(follow_up: date, horizon_days: int, problem: str | None) -> None:
    if problem is None:
        check_follow_up(follow_up, TODAY, horizon_days)
        return
    with pytest.raises(InputProblem) as caught:
        check_follow_up(follow_up, TODAY, horizon_days)
    assert caught.value.code == problem


def test_follow_up_horizon_defaults_to_a_year() -> None:
    check_follow_up(TODAY + timedelta(days=365), TODAY)
    with pytest.raises(InputProblem):
        check_follow_up(TODAY + timedelta(days=366), TODAY)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("taobao.com/shop/123", "https://taobao.com/shop/123"),
        ("https://shop.jd.com/x", "https://shop.jd.com/x"),
        ("  https://shop.jd.com/x  ", "https://shop.jd.com/x"),
        ("http://example.cn", "http://example.cn"),  # the rep's scheme is kept
        ("www.tmall.com", "https://www.tmall.com"),
        ("HTTPS://Shop.JD.com/Item/ABC", "https://shop.jd.com/Item/ABC"),
        (
            "item.taobao.com/item.htm?id=123&spm=a1",
            "https://item.taobao.com/item.htm?id=123&spm=a1",
        ),
        ("my-shop.example.co.uk:8080/p", "https://my-shop.example.co.uk:8080/p"),
        ("shop.example.com/店铺", "https://shop.example.com/店铺"),
        ("明华.中国", "https://明华.中国"),
        ("xn--fiqs8s.xn--fiqs8s/a", "https://xn--fiqs8s.xn--fiqs8s/a"),
    ],
)
def test_normalize_url_accepts(typed: str, expected: str) -> None:
    assert normalize_url(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "https://",
        "taobao",  # no dot, no domain
        "taobao .com",
        "https://shop.jd.com/a b",
        "ftp://files.example.com/x",
        "javascript:alert(1)",
        "mailto:shop@example.com",
        "https://user:pw@example.com",
        "https://192.168.1.1/shop",
        "https://example.com:abc/",
        "https://example.com:99999/",
        "https://-bad-.com",
        "https://example.1com",
        "https://example.com/\x00",
        "example.com/" + "x" * 300,
    ],
)
def test_normalize_url_refuses(typed: str) -> None:
    with pytest.raises(InputProblem) as caught:
        normalize_url(typed)
    assert caught.value.code == "bad_url"


def test_url_limit_counts_the_added_scheme() -> None:
    host = "example.com/"
    assert normalize_url(host + "x" * (300 - len("https://" + host)))
    with pytest.raises(InputProblem):
        normalize_url(host + "x" * (301 - len("https://" + host)))


@pytest.mark.parametrize(
    ("intent", "asks"),
    [(Intent.none, False), (Intent.low, False), (Intent.medium, True), (Intent.high, True)],
)
def test_intent_asks_for_registration(intent: Intent, asks: bool) -> None:
    assert intent.asks_for_registration is asks


def test_enums_store_their_names() -> None:
    assert [str(kind) for kind in VisitKind] == ["first", "revisit", "reception", "call"]
    assert Intent("medium") is Intent.medium


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+8613800138000", "+86 138 0013 8000"),
        ("+862168888888", "+86 21 6888 8888"),
        ("+861068886888", "+86 10 6888 6888"),
        ("+8675588886666", "+86 755 8888 6666"),
        ("+865718888666", "+86 571 888 8666"),
        ("+442079460958", "+442079460958"),
    ],
)
def test_display_phone_groups_mainland_numbers(stored: str, shown: str) -> None:
    assert display_phone(stored) == shown
    assert normalize_phone(shown) == stored  # what is shown can be typed back
