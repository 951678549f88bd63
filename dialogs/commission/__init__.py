from dialogs.commission.dialog import commission_dialog
from dialogs.commission.filing import commission_filing_dialog

__all__ = ["commission_dialog", "commission_filing_dialog"]
