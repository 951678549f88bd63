"""Bot API methods of the emulator (everything except getUpdates and the webhook methods).

Each handler takes the state and the request parameters, returns the ``result`` value or
raises ``ApiError`` with Telegram's own error text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from botapi_emulator._html import HtmlParseError, parse_html, utf16_len
from botapi_emulator._models import (
    ChatMessage,
    FileInfo,
    Keyboard,
    Params,
    UploadedFile,
    bad_request,
)
from botapi_emulator._state import SandboxState

__all__ = ["METHODS", "Handler"]

Handler = Callable[[SandboxState, Params], Any]

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query id is invalid"
CALLBACK_QUERY_TTL = 15 * 60
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")

METHODS: dict[str, tuple[str, Handler]] = {}


def _method(name: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        METHODS[name.lower()] = (name, func)
        return func

    return register


# ---- helpers ----------------------------------------------------------------------------------


def _format(
    state: SandboxState, raw: str, parse_mode: str | None, entities: Any
) -> tuple[str, list[dict[str, Any]]]:
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            return parse_html(raw, strict_ampersand=state.strict_html)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    if mode in ("", "markdown", "markdownv2"):  # Markdown is stored verbatim, not parsed
        return raw, list(entities) if isinstance(entities, list) and not mode else []
    raise bad_request("unsupported parse_mode")


def _text(state: SandboxState, p: Params) -> tuple[str, str, list[dict[str, Any]]]:
    raw = p.get_str("text") or ""
    plain, entities = _format(state, raw, p.get_str("parse_mode"), p.get("entities"))
    if not plain.strip():
        raise bad_request("message text is empty")
    if utf16_len(plain) > 4096:
        raise bad_request("message is too long")
    return raw, plain, entities


def _caption(
    state: SandboxState, raw: str | None, parse_mode: str | None, entities: Any
) -> tuple[str, str, list[dict[str, Any]]]:
    plain, parsed = _format(state, raw or "", parse_mode, entities)
    if utf16_len(plain) > 1024:
        raise bad_request("message caption is too long")
    return raw or "", plain, parsed


def _inline_keyboard(markup: dict[str, Any]) -> Keyboard:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'can\'t parse inline keyboard button: field "inline_keyboard" must be an Array'
        )
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request("can't parse inline keyboard button: Text must be of type String")
            actions = [key for key in _BUTTON_ACTIONS if key in button]
            if not actions:
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button:
                parts = urlsplit(str(button["url"]))
                if parts.scheme not in ("http", "https", "tg") or not (parts.netloc or parts.path):
                    raise bad_request("BUTTON_URL_INVALID")
    return [[dict(button) for button in row] for row in rows]


def _markup(
    state: SandboxState, chat_id: int, markup: Any, *, edit: bool = False
) -> Keyboard | None:
    """Validate reply_markup; returns the inline keyboard (reply keyboards are kept per chat)."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return _inline_keyboard(markup)
    if edit:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        state.reply_keyboards[chat_id] = dict(markup)
    elif markup.get("remove_keyboard"):
        state.reply_keyboards[chat_id] = None
    return None


def _chat(state: SandboxState, p: Params) -> int:
    chat_id = state.resolve_chat(p.get("chat_id"))
    state.check_can_write(chat_id)
    return chat_id


def _target(state: SandboxState, p: Params, action: str) -> ChatMessage:
    if p.has("inline_message_id") and not p.has("chat_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat_id = _chat(state, p)
    message_id = p.get_int("message_id", required=True)
    assert message_id is not None
    message = state.get_message(chat_id, message_id)
    if message is None or message.deleted:
        raise bad_request(f"message to {action} not found")
    if action == "edit" and not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _resolve_file(state: SandboxState, kind: str, source: UploadedFile | str | None) -> FileInfo:
    if source is None:
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(source, UploadedFile):
        return state.store_file(kind, source.data, source.filename, source.content_type)
    known = state.find_file(source)
    if known is not None:
        if known.kind == kind:
            return known
        return state.store_file(kind, known.data, known.filename, known.mime_type)
    if source.startswith(("http://", "https://")):
        name = urlsplit(source).path.rsplit("/", 1)[-1] or kind
        return state.store_file(kind, b"", name)
    raise bad_request("wrong file identifier/HTTP URL specified")


def _apply_edit(state: SandboxState, message: ChatMessage, **changes: Any) -> dict[str, Any]:
    state.record_edit(message)
    for key, value in changes.items():
        setattr(message, key, value)
    message.version = state._changed()
    return state.message_to_api(message)


def _scope_key(p: Params) -> tuple[str, str]:
    scope = p.get("scope") or {}
    if not isinstance(scope, dict):
        raise bad_request("can't parse BotCommandScope JSON object")
    key = str(scope.get("type") or "default")
    for field in ("chat_id", "user_id"):
        if field in scope:
            key += f":{scope[field]}"
    return key, p.get_str("language_code") or ""


# ---- methods ----------------------------------------------------------------------------------


@_method("getMe")
def get_me(state: SandboxState, p: Params) -> dict[str, Any]:
    return {
        **state.bot_user(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


@_method("sendMessage")
def send_message(state: SandboxState, p: Params) -> dict[str, Any]:
    chat_id = _chat(state, p)
    raw, plain, entities = _text(state, p)
    inline = _markup(state, chat_id, p.get("reply_markup"))
    message = state.new_message(chat_id, from_bot=True, text=plain, html=raw)
    message.entities, message.reply_markup = entities, inline
    message.parse_mode = p.get_str("parse_mode")
    message.version = state._changed()
    return state.message_to_api(message)


def _send_media(state: SandboxState, p: Params, kind: str) -> dict[str, Any]:
    chat_id = _chat(state, p)
    info = _resolve_file(state, kind, p.get_file(kind))
    raw, plain, entities = _caption(
        state, p.get_str("caption"), p.get_str("parse_mode"), p.get("caption_entities")
    )
    inline = _markup(state, chat_id, p.get("reply_markup"))
    message = state.new_message(chat_id, from_bot=True, text=plain, html=raw)
    message.entities, message.reply_markup = entities, inline
    message.caption = plain or None
    message.parse_mode = p.get_str("parse_mode")
    if kind == "photo":
        message.photo = info
    else:
        message.document = info
    message.version = state._changed()
    return state.message_to_api(message)


@_method("sendPhoto")
def send_photo(state: SandboxState, p: Params) -> dict[str, Any]:
    return _send_media(state, p, "photo")


@_method("sendDocument")
def send_document(state: SandboxState, p: Params) -> dict[str, Any]:
    return _send_media(state, p, "document")


@_method("editMessageText")
def edit_message_text(state: SandboxState, p: Params) -> dict[str, Any]:
    message = _target(state, p, "edit")
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    raw, plain, entities = _text(state, p)
    inline = _markup(state, message.chat_id, p.get("reply_markup"), edit=True)
    if (plain, entities, inline) == (message.text, message.entities, message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    return _apply_edit(
        state,
        message,
        text=plain,
        html=raw,
        entities=entities,
        reply_markup=inline,
        parse_mode=p.get_str("parse_mode"),
    )


@_method("editMessageCaption")
def edit_message_caption(state: SandboxState, p: Params) -> dict[str, Any]:
    message = _target(state, p, "edit")
    if message.kind not in ("photo", "document"):
        raise bad_request("there is no caption in the message to edit")
    raw, plain, entities = _caption(
        state, p.get_str("caption"), p.get_str("parse_mode"), p.get("caption_entities")
    )
    inline = _markup(state, message.chat_id, p.get("reply_markup"), edit=True)
    if (plain, entities, inline) == (message.text, message.entities, message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    return _apply_edit(
        state,
        message,
        text=plain,
        html=raw,
        caption=plain or None,
        entities=entities,
        reply_markup=inline,
    )


@_method("editMessageReplyMarkup")
def edit_message_reply_markup(state: SandboxState, p: Params) -> dict[str, Any]:
    message = _target(state, p, "edit")
    inline = _markup(state, message.chat_id, p.get("reply_markup"), edit=True)
    if inline == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    return _apply_edit(state, message, reply_markup=inline)


@_method("editMessageMedia")
def edit_message_media(state: SandboxState, p: Params) -> dict[str, Any]:
    message = _target(state, p, "edit")
    media = p.get("media")
    if not isinstance(media, dict) or media.get("type") not in ("photo", "document"):
        raise bad_request("can't parse InputMedia JSON object")
    if message.kind == "text":
        raise bad_request("there is no media in the message to edit")
    kind = str(media["type"])
    info = _resolve_file(state, kind, p.get_file("media", media.get("media")))
    raw, plain, entities = _caption(
        state, media.get("caption"), media.get("parse_mode"), media.get("caption_entities")
    )
    inline = _markup(state, message.chat_id, p.get("reply_markup"), edit=True)
    current = message.photo or message.document
    if (
        current is not None
        and current.file_id == info.file_id
        and (plain, entities, inline) == (message.text, message.entities, message.reply_markup)
    ):
        raise bad_request(NOT_MODIFIED)
    return _apply_edit(
        state,
        message,
        text=plain,
        html=raw,
        caption=plain or None,
        entities=entities,
        reply_markup=inline,
        photo=info if kind == "photo" else None,
        document=info if kind == "document" else None,
    )


@_method("deleteMessage")
def delete_message(state: SandboxState, p: Params) -> bool:
    message = _target(state, p, "delete")
    message.deleted = True
    message.version = state._changed()
    return True


@_method("answerCallbackQuery")
def answer_callback_query(state: SandboxState, p: Params) -> bool:
    query_id = p.get_str("callback_query_id") or ""
    info = state.callback_queries.get(query_id)
    if info is None or info.answered or state.now() - info.created > CALLBACK_QUERY_TTL:
        raise bad_request(QUERY_TOO_OLD)
    info.answered = True
    state.callback_answers[query_id] = {
        "text": p.get_str("text"),
        "show_alert": p.get_bool("show_alert"),
        "url": p.get_str("url"),
        "cache_time": p.get_int("cache_time"),
    }
    return True


@_method("sendChatAction")
def send_chat_action(state: SandboxState, p: Params) -> bool:
    _chat(state, p)
    if not p.has("action"):
        raise bad_request("action is empty")
    return True


@_method("getChat")
def get_chat(state: SandboxState, p: Params) -> dict[str, Any]:
    chat_id = state.resolve_chat(p.get("chat_id"))
    if not state.users[chat_id].started:
        raise bad_request("chat not found")
    return {
        **state.chat_object(chat_id),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": True,
            "limited_gifts": True,
            "unique_gifts": True,
            "premium_subscription": True,
        },
    }


@_method("getChatMember")
def get_chat_member(state: SandboxState, p: Params) -> dict[str, Any]:
    chat_id = state.resolve_chat(p.get("chat_id"))
    user_id = p.get_int("user_id", required=True)
    if user_id == state.bot_id:
        return {"status": "member", "user": state.bot_user()}
    if user_id != chat_id:
        raise bad_request("user not found")
    return {"status": "member", "user": state.users[chat_id].to_api()}


@_method("getFile")
def get_file(state: SandboxState, p: Params) -> dict[str, Any]:
    info = state.find_file(p.get_str("file_id") or "")
    if info is None:
        raise bad_request("wrong file_id or the file is temporarily unavailable")
    return {
        "file_id": info.file_id,
        "file_unique_id": info.file_unique_id,
        "file_size": info.size,
        "file_path": info.file_path,
    }


@_method("setMyCommands")
def set_my_commands(state: SandboxState, p: Params) -> bool:
    commands = p.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    stored: list[dict[str, Any]] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command, description = str(item.get("command", "")), str(item.get("description", ""))
        if not _COMMAND_RE.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request(
                "command description is empty"
                if not description
                else "BOT_COMMAND_DESCRIPTION_INVALID"
            )
        stored.append({"command": command, "description": description})
    key = _scope_key(p)
    if stored:
        state.commands[key] = stored
    else:
        state.commands.pop(key, None)
    return True


@_method("getMyCommands")
def get_my_commands(state: SandboxState, p: Params) -> list[dict[str, Any]]:
    return [dict(item) for item in state.commands.get(_scope_key(p), [])]


@_method("deleteMyCommands")
def delete_my_commands(state: SandboxState, p: Params) -> bool:
    state.commands.pop(_scope_key(p), None)
    return True


def _store_setting(name: str) -> Handler:
    def handler(state: SandboxState, p: Params) -> bool:
        state.bot_settings[name] = p.record()
        return True

    return handler


for _name in ("setMyDescription", "setMyShortDescription", "setMyName", "setChatMenuButton"):
    _method(_name)(_store_setting(_name))
