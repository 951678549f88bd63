from dialogs.review.dialog import review_dialog

__all__ = ["review_dialog"]
