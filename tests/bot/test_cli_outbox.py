"""`salesbot outbox failed` from the command line (what it lists: test_outbox_sender.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main


def test_outbox_failed_is_wired_and_says_when_nothing_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")

    assert main(["outbox", "failed", "--limit", "5"]) == 0

    assert capsys.readouterr().out == "no failed messages\n"


def test_outbox_needs_to_be_told_what_to_show(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["outbox"])

    assert exit_.value.code == 2
    assert "failed" in capsys.readouterr().err
