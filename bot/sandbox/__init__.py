"""The sandbox: the Bot API emulator wired to salesbot, the demo company and its week."""
