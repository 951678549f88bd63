"""The pure domain: dataclasses, rules, policy, use cases and ports. Standard library only."""
