"""Plain data records of the Bot API emulator."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ApiCall",
    "ApiError",
    "CallbackQueryInfo",
    "ChatMessage",
    "FileInfo",
    "FloodWait",
    "InjectedError",
    "Keyboard",
    "Params",
    "Revision",
    "UploadedFile",
    "UserInfo",
]

Keyboard = list[list[dict[str, Any]]]

# Fields that aiogram sends as JSON strings inside form bodies.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "commands",
        "allowed_updates",
        "scope",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "media",
        "menu_button",
        "message_ids",
    }
)


class ApiError(Exception):
    """A Bot API error reply: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class UploadedFile:
    filename: str
    data: bytes
    content_type: str | None = None


@dataclass
class FileInfo:
    """A stored file: sent by the bot (photo/document) or by a user."""

    kind: str  # "photo" | "document"
    file_id: str
    file_unique_id: str
    filename: str
    data: bytes
    mime_type: str | None = None
    file_path: str = ""

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Revision:
    """The content of a message before one of its edits."""

    text: str
    html: str
    reply_markup: Keyboard | None
    date: int


@dataclass
class ChatMessage:
    """One message of a private chat as the emulator stores it (updated in place on edits)."""

    message_id: int
    chat_id: int
    from_bot: bool
    text: str  # plain text (for media: the plain caption, or "")
    html: str  # raw text/caption as sent (HTML source when parse_mode=HTML)
    reply_markup: Keyboard | None = None  # inline keyboard rows, None without one
    date: int = 0
    edits: int = 0
    deleted: bool = False
    history: list[Revision] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    parse_mode: str | None = None
    photo: FileInfo | None = None
    document: FileInfo | None = None
    caption: str | None = None
    location: tuple[float, float] | None = None
    edit_date: int | None = None
    version: int = 0  # emulator change counter when this message last changed

    @property
    def kind(self) -> str:
        if self.photo is not None:
            return "photo"
        if self.document is not None:
            return "document"
        if self.location is not None:
            return "location"
        return "text"

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """All inline buttons, row by row."""
        return [button for row in self.reply_markup or [] for button in row]

    @property
    def button_labels(self) -> list[str]:
        return [str(button.get("text", "")) for button in self.buttons]


@dataclass
class UserInfo:
    user_id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "en"
    last_name: str | None = None
    started: bool = False
    blocked: bool = False

    def to_api(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


@dataclass
class CallbackQueryInfo:
    query_id: str
    user_id: int
    message_id: int
    data: str
    created: float  # emulator clock (unix seconds)
    answered: bool = False


@dataclass
class ApiCall:
    """One Bot API request as the emulator received it."""

    method: str  # canonical camelCase name when known, else as requested
    params: dict[str, Any]
    time: float  # time.monotonic() at arrival
    chat_id: int | None = None
    ok: bool | None = None  # None while still in progress
    error_code: int | None = None
    description: str | None = None
    result: Any = None
    finished: float | None = None


@dataclass
class FloodWait:
    """A bot-wide 429 the emulator's rate limit answered, and what arrived before it ended."""

    call: ApiCall  # the request that was refused first
    until: float  # time.monotonic() when the wait ends
    violations: list[ApiCall] = field(default_factory=list)


@dataclass
class InjectedError:
    method: str  # lower-case
    error_code: int
    description: str
    retry_after: int | None = None
    times: int = 1
    chat_id: int | None = None
    text_contains: str | None = None

    def to_api_error(self) -> ApiError:
        parameters = {"retry_after": self.retry_after} if self.retry_after is not None else None
        return ApiError(self.error_code, self.description, parameters)


class Params:
    """Request parameters from a query string, form, multipart or JSON body."""

    def __init__(self, raw: dict[str, Any], files: dict[str, UploadedFile] | None = None) -> None:
        self.files = files or {}
        self.raw: dict[str, Any] = {}
        for key, value in raw.items():
            if key in JSON_FIELDS and isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError as exc:
                    raise bad_request(f"can't parse {key} JSON object") from exc
            self.raw[key] = value

    def record(self) -> dict[str, Any]:
        """A copy for ApiCall.params; uploaded files appear as UploadedFile objects."""
        recorded = dict(self.raw)
        for key, value in self.raw.items():
            if isinstance(value, str) and value.startswith("attach://"):
                name = value.removeprefix("attach://")
                if name in self.files:
                    recorded[key] = self.files[name]
        for key, upload in self.files.items():
            if key not in recorded:
                recorded[key] = upload
        return recorded

    def has(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "")

    def get(self, name: str, default: Any = None) -> Any:
        return self.raw.get(name, default)

    def get_str(self, name: str, *, required: bool = False) -> str | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, name: str, *, required: bool = False) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def get_float(self, name: str) -> float | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def get_bool(self, name: str) -> bool:
        value = self.raw.get(name)
        if isinstance(value, str):
            return value.strip().lower() in {"true", "1", "yes"}
        return bool(value)

    def get_file(self, name: str, value: Any = None) -> UploadedFile | str | None:
        """An uploaded file (``attach://x`` or a file part named like the field) or a str id/URL."""
        value = self.raw.get(name) if value is None else value
        if isinstance(value, str) and value.startswith("attach://"):
            upload = self.files.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"file {value} not found in the request")
            return upload
        if value in (None, "") and name in self.files:
            return self.files[name]
        return value if isinstance(value, str) and value else None
