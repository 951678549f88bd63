"""The README's policy example is a policy the bot accepts, key for key: an operator copies it
and starts from there, so a key it names that the loader refuses is a broken promise."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.policy import Policy
from bot.policy_file import load_policy

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_policy_block_loads(tmp_path: Path) -> None:
    block = re.search(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block is not None, "the README shows a policy file"
    path = tmp_path / "policy.toml"
    path.write_text(block.group(1), encoding="utf-8")

    policy = load_policy(path)

    assert isinstance(policy, Policy)
    assert policy.collections.department_rate == Policy().collections.department_rate
