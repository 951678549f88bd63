"""Rules for what a rep records about a customer and a visit (phase 1 of the seed)."""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from urllib.parse import SplitResult, urlsplit, urlunsplit

from bot.core.customers import (
    ADDRESS_MAX,
    CONTACT_MAX,
    CUSTOMER_NOTE_MAX,
    PICK_MAX,
    CustomerDraft,
)
from bot.core.deals import CUSTOMER_NAME_MAX, InputProblem, clean_text

EARTH_RADIUS_M = 6_371_008.8
URL_MAX = 300
NAME_KEY_MAX = 100


class Intent(StrEnum):
    none = "none"
    low = "low"
    medium = "medium"
    high = "high"

    @property
    def asks_for_registration(self) -> bool:
        """A customer with purchase intent gets a customer file sent to the supervisor for
        registration (seed E4); "medium" is the lowest level the bot counts as intent."""
        return self in (Intent.medium, Intent.high)


class VisitKind(StrEnum):
    first = "first"
    revisit = "revisit"
    reception = "reception"
    call = "call"


# Phones -------------------------------------------------------------------------------------

_PHONE_TEXT = re.compile(r"\(?\+?[0-9\s().-]+")
_MOBILE = r"1[3-9][0-9]{9}"
# Without the trunk 0: a 2-digit area code (Beijing 10, 2x) + 7–8 digits, or 3 digits + 7–8.
_LANDLINE = r"(?:10|2[0-9])[0-9]{7,8}|[3-9][0-9]{9,10}"
_DIALLED_IN_CHINA = re.compile(rf"(?:86)?(?P<mobile>{_MOBILE})|0(?P<landline>{_LANDLINE})")
_AFTER_86 = re.compile(rf"(?P<mobile>{_MOBILE})|0?(?P<landline>{_LANDLINE})")
_ABROAD = re.compile(r"[1-9][0-9]{7,14}")


def normalize_phone(text: str) -> str:
    """A phone number as a rep types it, stored as "+" and digits so one customer is one number.

    Mainland numbers are what reps type most: a mobile is 1[3-9] and 9 more digits, with or
    without 86/+86/0086; a landline is dialled 0 + area code + number. Anything after "+" or
    "00" that is not +86 is taken as E.164: 8 to 15 digits. Letters (extensions included) are
    refused: a number the bot cannot dial is no use to the next rep.
    "(021) 6888 8888" → "+862168888888"; "１３８-0013-8000" → "+8613800138000".
    """
    typed = unicodedata.normalize("NFKC", text).strip()
    if not _PHONE_TEXT.fullmatch(typed):
        raise InputProblem("bad_phone")
    digits = re.sub(r"[^0-9]", "", typed)
    if "+" in typed:
        return _international(digits)
    if digits.startswith("00"):
        return _international(digits[2:])
    return _mainland(_DIALLED_IN_CHINA, digits)


def display_phone(stored: str) -> str:
    """A stored number grouped for reading on a phone: "+8613800138000" → "+86 138 0013 8000",
    "+862168888888" → "+86 21 6888 8888", "+8675588886666" → "+86 755 8888 6666". Numbers
    outside the mainland are shown as stored: their grouping differs by country."""
    if not stored.startswith("+86"):
        return stored
    national = stored.removeprefix("+86")
    if re.fullmatch(_MOBILE, national):
        return f"+86 {national[:3]} {national[3:7]} {national[7:]}"
    area = 2 if national[:2] == "10" or national[:1] == "2" else 3
    number = national[area:]
    split = len(number) - 4
    return f"+86 {national[:area]} {number[:split]} {number[split:]}"


def _international(digits: str) -> str:
    if digits.startswith("86"):
        return _mainland(_AFTER_86, digits.removeprefix("86"))
    if not _ABROAD.fullmatch(digits):
        raise InputProblem("bad_phone")
    return f"+{digits}"


def _mainland(pattern: re.Pattern[str], digits: str) -> str:
    match = pattern.fullmatch(digits)
    if match is None:
        raise InputProblem("bad_phone")
    return f"+86{match['mobile'] or match['landline']}"


# Company names ------------------------------------------------------------------------------

_LATIN_SUFFIXES = {
    *("co", "company", "corp", "corporation", "inc", "incorporated", "llc", "ltd", "limited"),
    *("gmbh", "plc", "sa", "ag", "bv", "pte", "pty"),
}
# Longest first, so that 分公司 goes whole instead of leaving 分 behind.
_CHINESE_SUFFIXES = sorted(
    [
        "有限责任公司",
        "股份有限公司",
        "有限公司",
        "集团公司",
        "集团",
        "公司",
        "分公司",
        "商行",
        "工作室",
        "厂",
    ],
    key=len,
    reverse=True,
)
_DOTTED_INITIALS = re.compile(r"\b(?:[^\W\d_]\.)+[^\W\d_]\b\.?")  # "S.A." → "SA", "L.L.C." → "LLC"
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_WORD = re.compile(rf"[{_HAN}]+|[^\s{_HAN}]+")  # Han and Latin runs apart: "明华co" → 明华, co


def company_key(name: str) -> str:
    """The key two spellings of one company share, for the duplicate check.

    Case, width, spaces, punctuation and symbols don't tell companies apart, and neither does a
    legal-form suffix at the end, which reps add or drop at will. Latin suffixes are dropped as
    whole trailing words, then Chinese ones from the end of what is left. A name made of
    suffixes only ("Ltd", "有限公司") keeps them all: an empty key would match every such name.
    "Acme Trading Co., Ltd." → "acmetrading"; "上海明华贸易有限公司" → "上海明华贸易";
    "Co-op Foods" → "coopfoods" (co counts only at the end).
    """
    text = _DOTTED_INITIALS.sub(_undot, unicodedata.normalize("NFKC", name).casefold())
    words = _WORD.findall("".join(" " if _is_separator(char) else char for char in text))
    kept = len(words)
    while kept and words[kept - 1] in _LATIN_SUFFIXES:
        kept -= 1
    key = _strip_chinese_suffixes("".join(words[:kept])) or "".join(words)
    return key[:NAME_KEY_MAX]  # folding can lengthen a name ("ß" → "ss"); the column is 100


def _undot(match: re.Match[str]) -> str:
    return match[0].replace(".", "")


def _is_separator(char: str) -> bool:
    # C* too: a zero-width space pasted from a chat is no more a letter than a comma is.
    return char.isspace() or unicodedata.category(char)[0] in "PSC"


def _strip_chinese_suffixes(key: str) -> str:
    for suffix in _CHINESE_SUFFIXES:
        if key.endswith(suffix):
            return _strip_chinese_suffixes(key.removesuffix(suffix))
    return key


def is_probable_duplicate(name_a: str, name_b: str) -> bool:
    """Two names are taken for one company when their `company_key`s are equal, and only then.

    The match is exact on purpose: fuzzy matching would flag "Acme Trading" against "Acme
    Tradings" or 北京明华 against 上海明华, and a warning that is usually wrong teaches reps to
    ignore it. An empty key (a name of punctuation only) matches nothing.
    """
    key = company_key(name_a)
    return bool(key) and key == company_key(name_b)


# Search -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerSearch:
    """What a fragment typed into a search box may match. Reps type on phones in two scripts:
    full-width digits, capitals, spaces and punctuation must not hide a customer, and a whole
    number typed as dialled ("021 6888 8888") must find the stored "+862168888888"."""

    text: str  # lower-cased as SQL's lower() does, for a plain LIKE on the name
    key: str  # within company_key's output: case folded, no spaces ("" if punctuation typed)
    digits: tuple[str, ...]  # phone fragments (3+ digits): as typed, and as stored


def customer_search(query: str) -> CustomerSearch:
    typed = unicodedata.normalize("NFKC", query).strip()
    # Punctuation typed on purpose ("a_b", "50%") is searched for as it is, not folded away.
    literal = any(_is_separator(char) and not char.isspace() for char in typed)
    key = "" if literal else "".join(typed.casefold().split())
    digits = re.sub(r"[^0-9]", "", typed)
    fragments = [digits] if len(digits) >= 3 else []
    with contextlib.suppress(InputProblem):
        fragments.append(normalize_phone(typed).removeprefix("+"))
    return CustomerSearch(typed.lower(), key, tuple(dict.fromkeys(fragments)))


# Places and dates ---------------------------------------------------------------------------


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine on the mean-radius sphere): within 0.5 % of
    the ellipsoid, plenty to tell whether a rep was at the customer's address.
    People's Square (31.2304, 121.4737) to the Bund (31.2400, 121.4900) ≈ 1 880 m."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def check_coordinates(lat: float, lon: float) -> None:
    # Written so that NaN, which fails every comparison, is refused too.
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputProblem("bad_location")


def visit_days(today: date, backdate_days: int) -> tuple[date, date]:
    """The first and last day a visit may be recorded for (`check_visit_date`)."""
    return today - timedelta(days=backdate_days), today


def follow_up_days(visited_on: date, horizon_days: int = 365) -> tuple[date, date]:
    """The first and last day a follow-up may fall on (`check_follow_up`)."""
    return visited_on, visited_on + timedelta(days=horizon_days)


def check_visit_date(visited_on: date, today: date, backdate_days: int) -> None:
    """A visit is recorded for today or a past day, at most `backdate_days` back: records are
    the basis for judging intent, and one written from memory weeks later is not.
    With today 2026-11-23 and 7 days: 11-16 is accepted, 11-15 is too old, 11-24 is future."""
    if visited_on > today:
        raise InputProblem("future_date")
    if (today - visited_on).days > backdate_days:
        raise InputProblem("too_old", days=backdate_days)


def check_follow_up(follow_up: date, visited_on: date, horizon_days: int = 365) -> None:
    """A follow-up falls on the visit day or later, and at most `horizon_days` after it: a
    reminder further out is a wish, not a plan. Visit 2026-11-23: 2027-11-23 is the last day."""
    if follow_up < visited_on:
        raise InputProblem("follow_up_before_visit")
    if (follow_up - visited_on).days > horizon_days:
        raise InputProblem("follow_up_too_far", days=horizon_days)


# Online shop links --------------------------------------------------------------------------

_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_LABEL = re.compile(r"[^\W_]+(?:-+[^\W_]+)*")  # letters (any script) and digits, inner hyphens
_TLD = re.compile(r"[^\W\d_]{2,63}|xn--[a-z0-9-]+", re.IGNORECASE)


def normalize_url(text: str) -> str:
    """An online-shop link: a web address on a domain name, "https://" added when the rep left
    the scheme out. Other schemes, spaces, user names and bare IP addresses are refused; a shop
    lives at a domain. "taobao.com/shop/123" → "https://taobao.com/shop/123"."""
    url = text.strip()
    if not _SCHEME.match(url):
        url = f"https://{url}"
    parts = urlsplit(url)
    if (
        len(url) > URL_MAX
        or any(char.isspace() or not char.isprintable() for char in url)
        or parts.scheme.lower() not in {"http", "https"}
        or "@" in parts.netloc
        or not _is_domain(parts.hostname or "")
        or not _has_valid_port(parts)
    ):
        raise InputProblem("bad_url")
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))


def _is_domain(host: str) -> bool:
    labels = host.split(".")
    return (
        len(labels) > 1
        and all(len(label) <= 63 and _LABEL.fullmatch(label) for label in labels[:-1])
        and _TLD.fullmatch(labels[-1]) is not None
    )


def _has_valid_port(parts: SplitResult) -> bool:
    try:
        port = parts.port  # raises on "host:abc" and on ports past 65535
    except ValueError:
        return False
    return port is None or port > 0


# A customer's record ----------------------------------------------------------------------


def check_draft(draft: CustomerDraft) -> CustomerDraft:
    """A customer's record as registering and editing store it: the checks of the register
    form's questions run again on the server (a name of 1 to 100 characters, each optional text
    within its cap, a dialable phone, a shop on a domain, a place on the globe), so what a form
    did not ask cannot slip in. Returns the draft as stored (trimmed, phone and link
    normalised); raises InputProblem."""
    if (draft.latitude is None) != (draft.longitude is None):
        raise InputProblem("bad_location")
    if draft.latitude is not None and draft.longitude is not None:
        check_coordinates(draft.latitude, draft.longitude)
    return replace(
        draft,
        name=clean_text(draft.name, limit=CUSTOMER_NAME_MAX),
        phone=normalize_phone(draft.phone) if draft.phone else None,
        contact_name=_capped(draft.contact_name, CONTACT_MAX),
        address=_capped(draft.address, ADDRESS_MAX),
        industry=_capped(draft.industry, PICK_MAX),
        size=_capped(draft.size, PICK_MAX),
        region=_capped(draft.region, PICK_MAX),
        source=_capped(draft.source, PICK_MAX),
        shop_url=normalize_url(draft.shop_url) if draft.shop_url else None,
        note=_capped(draft.note, CUSTOMER_NOTE_MAX),
    )


def _capped(value: str | None, cap: int) -> str | None:
    return None if value is None else clean_text(value, limit=cap)
