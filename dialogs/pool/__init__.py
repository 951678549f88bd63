from dialogs.pool.dialog import pool_dialog

__all__ = ["pool_dialog"]
