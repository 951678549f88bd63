"""Translations: gettext catalogs under locales/, compiled in memory from the .po files with Babel,
so a fresh checkout needs no build step and a stale .mo can never shadow an edited .po."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from aiogram.utils.i18n import I18n
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("en", "zh")
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Marks a string for extraction; it is translated where it is shown."""
    return message


class PoI18n(I18n):
    @contextmanager
    def context(self) -> Iterator[I18n]:
        # aiogram's gettext looks up I18n's own context variable; a subclass gets a separate one.
        token = I18n.set_current(self)
        try:
            yield self
        finally:
            I18n.reset_current(token)

    def pgettext(self, context: str, message: str) -> str:
        """The translation of `message` in `context`: one English phrase, two Chinese ones
        (the general manager 审批s a request; everyone before them 审核s it)."""
        translations = self.locales.get(self.current_locale)
        return translations.pgettext(context, message) if translations else message

    def find_locales(self) -> dict[str, gettext.GNUTranslations]:
        return {
            po_path.parent.parent.name: gettext.GNUTranslations(BytesIO(_compiled(po_path)))
            for po_path in sorted(self.path.glob(f"*/LC_MESSAGES/{self.domain}.po"))
        }


# A .po file compiled once per process while it is unchanged (parsing one takes ~40 ms, and a
# process that builds several apps, the test suite above all, would parse it every time).
_COMPILED: dict[tuple[Path, int, int], bytes] = {}


def _compiled(po_path: Path) -> bytes:
    stat = po_path.stat()
    key = (po_path, stat.st_mtime_ns, stat.st_size)
    if key not in _COMPILED:
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        _COMPILED[key] = buffer.getvalue()
    return _COMPILED[key]


def make_i18n(default_locale: str) -> PoI18n:
    return PoI18n(path=LOCALES_DIR, default_locale=default_locale, domain=DOMAIN)


def supported_language(telegram_language: str | None) -> str | None:
    """Telegram's language code ("zh-hans", "en-GB") as one of ours, or None."""
    base = (telegram_language or "").lower().split("-")[0]
    return base if base in LANGUAGES else None


def pick_locale(person_language: str | None, telegram_language: str | None, default: str) -> str:
    """The person's own setting, else Telegram's language, else the company default."""
    if person_language in LANGUAGES:
        return person_language
    return supported_language(telegram_language) or default
