"""The person's language setting, else Telegram's, else the policy default (zh)."""

from __future__ import annotations

from harness import Sandbox


async def test_chinese_speaker_gets_chinese(demo: Sandbox) -> None:
    sun_li = demo.user(1006)  # language zh in the demo organisation
    await sun_li.send("/help")
    assert "我能为您做什么" in sun_li.last_text()
    assert "（销售顾问）" in sun_li.last_text() or "(销售顾问)" in sun_li.last_text()


async def test_stranger_is_answered_in_telegram_language(sandbox: Sandbox) -> None:
    stranger = sandbox.user(7777, "王五", language="zh-hans")
    await stranger.send("你好")
    assert "仅供团队成员使用" in stranger.last_text()
    unknown_language = sandbox.user(7778, "Hans", language="de")
    await unknown_language.send("hallo")
    assert "仅供团队成员使用" in unknown_language.last_text()  # the policy default


async def test_commands_are_registered_per_language(sandbox: Sandbox) -> None:
    commands = sandbox.emulator.commands
    by_language = {language: items for (_scope, language), items in commands.items()}
    assert {"en", "zh"} <= set(by_language)
    english = {c["command"]: c["description"] for c in by_language["en"]}
    chinese = {c["command"]: c["description"] for c in by_language["zh"]}
    assert english["team"] == "Your team and who reports to whom"
    assert chinese["team"] == "您的团队与汇报关系"
