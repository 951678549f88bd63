"""`salesbot invite --name`: the newcomer joins under the name, checked as in /invite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.__main__ import main


def use_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    db = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    return db


def test_an_invite_with_a_name_prints_it_and_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = use_db(tmp_path, monkeypatch)

    assert main(["invite", "--role", "rep", "--name", "  Li   Wei "]) == 0

    said = capsys.readouterr().out
    assert said.startswith("/start ")
    assert "(one use, Li Wei, rep, valid 7 days)" in said
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT name, role FROM invites").fetchall() == [("Li Wei", "rep")]


def test_a_name_without_a_letter_is_refused_with_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_db(tmp_path, monkeypatch)

    with pytest.raises(SystemExit) as exit_:
        main(["invite", "--name", "123"])

    assert exit_.value.code == 2
    assert "--name must have 1 to 64 characters with at least one letter" in (
        capsys.readouterr().err
    )
