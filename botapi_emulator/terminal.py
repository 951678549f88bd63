"""Chat with the bot in a terminal, as several people, through the Bot API emulator.

The caller starts the emulator and the bot (polling the emulator), then awaits
``run_terminal_chat(emulator, people)``. Works over pipes too: feed lines, read the output.
"""

from __future__ import annotations

import asyncio
import io
import re
import sys
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from botapi_emulator._html import render_for_terminal
from botapi_emulator._models import ChatMessage, FileInfo, Keyboard
from botapi_emulator.driver import DEFAULT_QUIET, DEFAULT_TIMEOUT, SandboxUser
from botapi_emulator.emulator import BotApiEmulator

__all__ = ["Persona", "run_terminal_chat"]

HELP = """\
Terminal commands:
  :who               list the people
  :as N  or :as name type as someone else
  #3                 tap button 3 of the newest message with buttons
                     (a bare number like 3 is always text: a quantity, an amount)
  :history           reprint the current person's chat
  :menu              the "/" command menu this person sees
  :loc LAT LON       share a location
  :photo PATH        send a photo
  :say TEXT          send TEXT as it is (for example a line starting with : or #)
  (empty line)       show what is new
  :quit  or Ctrl-D   exit
Anything else is sent to the bot as the current person, for example /start or /help."""


@dataclass(frozen=True)
class Persona:
    """Someone you can type as in the terminal chat."""

    user_id: int
    name: str
    role: str = ""
    language_code: str = "en"
    username: str | None = None


@dataclass
class _Seen:
    # message_id -> (edits, html, keyboard) as last printed
    shown: dict[int, tuple[int, str, Keyboard | None]] = field(default_factory=dict)
    announced_version: int = 0
    reply_keyboard: dict[str, Any] | None = None


class _LineReader:
    """Reads lines from a StreamReader, an in-memory stream, or a blocking file (via a thread)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self._queue: asyncio.Queue[str] | None = None

    async def readline(self) -> str:
        if isinstance(self.stream, asyncio.StreamReader):
            return (await self.stream.readline()).decode("utf-8", "replace")
        if isinstance(self.stream, io.StringIO | io.BytesIO):
            line = self.stream.readline()
            return line.decode("utf-8", "replace") if isinstance(line, bytes) else line
        if self._queue is None:
            self._queue = asyncio.Queue()
            loop = asyncio.get_running_loop()
            threading.Thread(
                target=self._pump, args=(loop, self._queue), name="sandbox-stdin", daemon=True
            ).start()
        return await self._queue.get()

    def _pump(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str]) -> None:
        while True:
            line = self.stream.readline()
            if isinstance(line, bytes):
                line = line.decode("utf-8", "replace")
            try:
                loop.call_soon_threadsafe(queue.put_nowait, line)
            except RuntimeError:  # the loop is closed
                return
            if not line:
                return


def _read_file(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


def _size(num: int) -> str:
    if num < 1024:
        return f"{num} B"
    if num < 1024 * 1024:
        return f"{round(num / 1024)} KB"
    return f"{num / 1024 / 1024:.1f} MB"


def _file_line(kind: str, info: FileInfo) -> str:
    if kind == "photo":
        return f"[photo: {_size(info.size)}]"
    return f"[document: {info.filename}, {_size(info.size)}]"


# A terminal command the host adds (e.g. ":at"): gets the rest of the line, returns what to print.
TerminalCommand = Callable[[str], Awaitable[str]]


class _TerminalChat:
    def __init__(
        self,
        emulator: BotApiEmulator,
        people: Sequence[Persona],
        stdin: Any,
        stdout: IO[str],
        quiet: float,
        timeout: float,
        commands: Mapping[str, TerminalCommand] | None = None,
        commands_help: str = "",
        roster: Callable[[], Awaitable[Sequence[Persona]]] | None = None,
    ) -> None:
        if not people:
            raise ValueError("run_terminal_chat needs at least one Persona")
        self.emulator = emulator
        self.people = list(people)
        self.reader = _LineReader(stdin)
        self.stdout = stdout
        self.ansi = bool(getattr(stdout, "isatty", lambda: False)())
        self.echo_input = not bool(getattr(stdin, "isatty", lambda: False)())
        self.current = 0
        self.commands = dict(commands or {})
        self.commands_help = commands_help
        self.roster = roster
        self.seen = {p.user_id: _Seen() for p in self.people}
        self.users: dict[int, SandboxUser] = {}
        for person in self.people:
            if person.user_id not in emulator.users:
                emulator.add_user(
                    person.user_id,
                    person.name,
                    username=person.username,
                    language_code=person.language_code,
                )
            self.users[person.user_id] = SandboxUser(
                emulator, person.user_id, quiet=quiet, timeout=timeout
            )

    # ---- output --------------------------------------------------------------------------------

    def out(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[22m" if self.ansi else text

    @property
    def person(self) -> Persona:
        return self.people[self.current]

    @property
    def user(self) -> SandboxUser:
        return self.users[self.person.user_id]

    def describe(self, index: int) -> str:
        person = self.people[index]
        role = f" — {person.role}" if person.role else ""
        return f"{index + 1}. {person.name}{role}"

    def banner(self) -> None:
        self.out(
            f"Sales bot sandbox: chatting with @{self.emulator.username} (no Telegram needed)."
        )
        self.out("People:")
        for index in range(len(self.people)):
            self.out(f"  {self.describe(index)}")
        self.out(self.help_text())
        self.out(f"You are {self.describe(self.current)}.")

    def help_text(self) -> str:
        return f"{HELP}\n{self.commands_help}" if self.commands_help else HELP

    def render(self, message: ChatMessage, *, edited: bool, numbered: bool) -> None:
        lines: list[str] = []
        if message.photo is not None:
            lines.append(_file_line("photo", message.photo))
        if message.document is not None:
            lines.append(_file_line("document", message.document))
        if message.location is not None:
            lines.append(f"[location: {message.location[0]}, {message.location[1]}]")
        if message.text:
            lines.extend(
                render_for_terminal(message.text, message.entities, ansi=self.ansi).split("\n")
            )
        who = "Bot" if message.from_bot else "You"
        header = f"{who} (edited):" if edited else f"{who}:"
        self.out(f"{self.bold(header)} {lines[0] if lines else ''}".rstrip())
        for line in lines[1:]:
            self.out(f"  {line}")
        number = 0
        for row in message.reply_markup or []:
            cells: list[str] = []
            for button in row:
                number += 1
                label = str(button.get("text", ""))
                if "url" in button:
                    label += " ↗"
                cells.append(f"[#{number}] {label}" if numbered else f"[{label}]")
            self.out("  " + "  ".join(cells))

    # ---- change tracking -----------------------------------------------------------------------

    def changes(self, user_id: int) -> list[tuple[ChatMessage, bool]]:
        """Unprinted bot messages and edits for one person; marks silent edits as seen."""
        seen = self.seen[user_id].shown
        found: list[tuple[ChatMessage, bool]] = []
        for message in self.emulator.transcript(user_id, include_deleted=False):
            if not message.from_bot:
                continue
            before = seen.get(message.message_id)
            if before is None:
                found.append((message, False))
            elif before[0] != message.edits:
                if before[1] == message.html and message.reply_markup is None:
                    seen[message.message_id] = (message.edits, message.html, None)
                    continue  # only the keyboard was removed: nothing worth reprinting
                found.append((message, True))
        return found

    def show_changes(self) -> None:
        user_id = self.person.user_id
        keyboard = self.user.keyboard_message()
        for message, edited in self.changes(user_id):
            self.render(message, edited=edited, numbered=message is keyboard)
            self.seen[user_id].shown[message.message_id] = (
                message.edits,
                message.html,
                message.reply_markup,
            )
        self.seen[user_id].announced_version = self.emulator.version
        self.show_reply_keyboard()
        for index, person in enumerate(self.people):
            if index == self.current:
                continue
            pending = self.changes(person.user_id)
            newest = max((m.version for m, _ in pending), default=0)
            if newest > self.seen[person.user_id].announced_version:
                self.seen[person.user_id].announced_version = newest
                self.out(f"(new message for {person.name} — :as {index + 1} to read it)")

    def show_reply_keyboard(self, *, force: bool = False) -> None:
        """Print the chat's reply keyboard (the one under the input field) when it changed."""
        seen = self.seen[self.person.user_id]
        markup = self.emulator.reply_keyboards.get(self.person.user_id)
        if markup == seen.reply_keyboard and not force:
            return
        seen.reply_keyboard = markup
        if markup is None:
            if not force:
                self.out("(reply keyboard removed)")
            return
        self.out("Reply keyboard (type a label to press it):")
        for row in markup.get("keyboard", []):
            cells = []
            for button in row:
                label = button if isinstance(button, str) else str(button.get("text", ""))
                if isinstance(button, dict) and button.get("request_location"):
                    label += " → :loc LAT LON"
                cells.append(f"[{label}]")
            self.out("  " + "  ".join(cells))

    def history(self) -> None:
        keyboard = self.user.keyboard_message()
        messages = self.emulator.transcript(self.person.user_id, include_deleted=False)
        if not messages:
            self.out("(no messages yet — try /start)")
        for message in messages:
            self.render(message, edited=message.edits > 0, numbered=message is keyboard)
            if message.from_bot:
                self.seen[self.person.user_id].shown[message.message_id] = (
                    message.edits,
                    message.html,
                    message.reply_markup,
                )
        self.show_reply_keyboard(force=True)

    # ---- commands ------------------------------------------------------------------------------

    def switch(self, who: str) -> None:
        who = who.strip().lstrip("#")
        index: int | None = None
        if who.isdigit() and 1 <= int(who) <= len(self.people):
            index = int(who) - 1
        else:
            matches = [
                i for i, p in enumerate(self.people) if p.name.lower().startswith(who.lower())
            ]
            index = matches[0] if who and len(matches) == 1 else None
        if index is None:
            self.out(f"(nobody called {who!r}; :who lists the people)")
            return
        self.current = index
        self.out(f"You are now {self.describe(index)}.")
        self.show_changes()

    async def refresh_roster(self) -> None:
        """Roles change while the sandbox runs (an admin's /team): show them as they are now."""
        if self.roster is None:
            return
        fresh = {p.user_id: p for p in await self.roster()}
        self.people = [fresh.get(p.user_id, p) for p in self.people]

    async def who(self) -> None:
        await self.refresh_roster()
        for index, person in enumerate(self.people):
            marker = "*" if index == self.current else " "
            unread = len(self.changes(person.user_id))
            note = f"  ({unread} new)" if unread and index != self.current else ""
            self.out(f" {marker}{self.describe(index)}{note}")

    def menu(self) -> None:
        """The menu Telegram would show: the most specific scope that has one."""
        person = self.people[self.current]
        chat = f"chat:{person.user_id}"
        for key in ((chat, person.language_code), (chat, ""), ("default", person.language_code)):
            commands = self.emulator.commands.get(key)
            if commands:
                break
        else:
            commands = self.emulator.commands.get(("default", ""), [])
        for command in commands:
            self.out(f"  /{command['command']} — {command['description']}")
        if not commands:
            self.out("(no command menu)")

    async def tap_number(self, number: int) -> None:
        message = self.user.keyboard_message()
        buttons = message.buttons if message is not None else []
        if message is None:
            self.out(
                f"(no button {number}: no message with buttons; {number} alone is sent as text)"
            )
            return
        if not 1 <= number <= len(buttons):
            self.out(f"(no button {number}: the newest message has {len(buttons)} buttons)")
            return
        button = buttons[number - 1]
        self.out(f"(tapped [#{number}] {button.get('text', '')})")
        before = self.user.last_query_id
        try:
            await self.user.press(message, button)
        except ValueError as exc:
            self.out(f"({exc})")
            return
        query_id = self.user.last_query_id
        answer = (
            self.emulator.callback_answers.get(query_id)
            if query_id != before and query_id
            else None
        )
        if answer and answer.get("text"):
            self.out(f"! {answer['text']}")

    async def act(self, line: str) -> bool:
        """Handle one input line; False to stop."""
        command, _, rest = line.partition(" ")
        if command in (":quit", ":q", ":exit"):
            return False
        if command == ":who":
            await self.who()
        elif command == ":as":
            self.switch(rest)
        elif command == ":history":
            self.history()
        elif command == ":help":
            self.out(self.help_text())
        elif command in self.commands:
            self.out(await self.commands[command](rest.strip()))
        elif command == ":menu":
            self.menu()
        elif command == ":loc":
            try:
                lat, lon = (float(x) for x in rest.split())
            except ValueError:
                self.out("(usage: :loc 55.75 37.61)")
                return True
            await self.user.share_location(lat, lon)
        elif command == ":photo":
            try:
                data = await asyncio.to_thread(_read_file, rest.strip())
            except OSError as exc:
                self.out(f"(cannot read {rest.strip()!r}: {exc.strerror})")
                return True
            await self.user.send_photo(data)
        elif command == ":say":
            await self.user.send(rest)
        elif re.fullmatch(r"#\d+", line):
            await self.tap_number(int(line[1:]))
        elif command.startswith(":") and command[1:].isalpha():
            self.out(f"(unknown terminal command {command}; :help lists them)")
        else:
            await self.user.send(line)
        return True

    async def run(self) -> None:
        self.banner()
        self.show_changes()
        while True:
            if not self.echo_input:
                self.stdout.write(f"{self.person.name}> ")
                self.stdout.flush()
            raw = await self.reader.readline()
            if not raw:
                self.out()
                break
            line = raw.strip()
            if self.echo_input:
                self.out(f"{self.person.name}> {line}")
            if line:
                try:
                    if not await self.act(line):
                        break
                except TimeoutError as exc:
                    self.out(f"(the bot did not settle: {exc})")
            self.show_changes()
        self.out("Bye.")


async def run_terminal_chat(
    emulator: BotApiEmulator,
    people: Sequence[Persona],
    *,
    stdin: Any = None,
    stdout: IO[str] | None = None,
    quiet: float = DEFAULT_QUIET,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - settle timeout per action
    commands: Mapping[str, TerminalCommand] | None = None,
    commands_help: str = "",
    roster: Callable[[], Awaitable[Sequence[Persona]]] | None = None,
) -> None:
    """Interactive multi-person chat with the bot behind ``emulator`` until :quit or EOF.

    ``stdin`` may be a text/binary file, an ``io.StringIO`` or an ``asyncio.StreamReader``
    (default ``sys.stdin``); ``stdout`` any text stream (ANSI bold only when it is a tty).
    """
    chat = _TerminalChat(
        emulator,
        people,
        stdin if stdin is not None else sys.stdin,
        stdout if stdout is not None else sys.stdout,
        quiet,
        timeout,
        commands,
        commands_help,
        roster,
    )
    await chat.run()
