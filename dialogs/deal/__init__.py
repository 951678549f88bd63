from dialogs.deal.dialog import deal_dialog

__all__ = ["deal_dialog"]
