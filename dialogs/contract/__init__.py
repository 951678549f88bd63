"""/contract: the contract ledger (合同台帐) and a contract's card, with its PDF summary."""

from dialogs.contract.dialog import contract_dialog

__all__ = ["contract_dialog"]
