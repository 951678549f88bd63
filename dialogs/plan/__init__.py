from dialogs.plan.dialog import plan_dialog
from dialogs.plan.team import team_plans_dialog

__all__ = ["plan_dialog", "team_plans_dialog"]
