"""Settings from the environment or `.env`, exactly the contract in ARCHITECTURE.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.policy import Policy, PolicyError
from bot.policy_file import load_policy

TELEGRAM_API = "https://api.telegram.org"


class ConfigError(Exception):
    """One line naming the setting and what is wrong; the CLI prints it instead of a traceback."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_API
    database_url: str = "sqlite+aiosqlite:///salesbot.db"
    redis_url: str | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    policy_file: Path | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # Behind the TLS proxy on the same host by default; 0.0.0.0 to listen on every interface.
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        parts = [part for part in value.replace(" ", "").split(",") if part]
        if not all(part.isdigit() for part in parts):
            raise ValueError("expected comma-separated Telegram user ids, e.g. 12345,67890")
        return frozenset(int(part) for part in parts)

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value in (None, ""):
            return None
        text = str(value)
        prefix, _, rest = text.partition(":")
        if not prefix.isdigit() or not rest or " " in text:
            raise ValueError("expected the form <digits>:<secret> given by @BotFather")
        return text

    @field_validator("telegram_api_url", "webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL")
        return value.rstrip("/") if value else value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("expected sqlite+aiosqlite:///… or postgresql+asyncpg://…")
        return value


def load_settings(**overrides: object) -> tuple[Settings, Policy]:
    """Settings and policy, or ConfigError with one line naming the culprit."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"setting {name}: {message}") from None
    if settings.webhook_url and not settings.webhook_secret:
        raise ConfigError("setting WEBHOOK_SECRET: required when WEBHOOK_URL is set")
    try:
        policy = load_policy(settings.policy_file)
    except PolicyError as exc:
        raise ConfigError(str(exc)) from None
    return settings, policy
