"""Work orders for follow-on service (派工单): filing one, and its screen."""

from dialogs.work_order.dialog import work_order_dialog
from dialogs.work_order.filing import work_order_filing_dialog

__all__ = ["work_order_dialog", "work_order_filing_dialog"]
