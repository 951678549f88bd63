"""The contract application (合同申报单), filed by the sales desk or the deal's rep."""

from dialogs.application.dialog import application_dialog

__all__ = ["application_dialog"]
