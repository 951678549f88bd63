from __future__ import annotations

import tomllib
from pathlib import Path

from bot.core.policy import Policy, PolicyError, parse_policy


def load_policy(path: Path | None) -> Policy:
    """The policy file's values over the built-in defaults; PolicyError names any bad key."""
    if path is None:
        return Policy()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError("POLICY_FILE", f"no such file: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError("POLICY_FILE", f"not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise PolicyError("POLICY_FILE", f"{path} is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise PolicyError("POLICY_FILE", f"cannot read {path}: {exc.strerror}") from None
    return parse_policy(data)
