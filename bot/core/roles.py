from enum import StrEnum


class Role(StrEnum):
    rep = "rep"
    supervisor = "supervisor"
    sales_manager = "sales_manager"
    marketing_vp = "marketing_vp"
    general_manager = "general_manager"
    sales_desk = "sales_desk"  # 销售业务科: files contract papers, keeps the ledger with finance
    accountant = "accountant"
    finance_vp = "finance_vp"
    customer_service = "customer_service"
    admin = "admin"


# How high a role stands: a manager may bring in only roles that stand lower than their own.
RANK: dict[Role, int] = {
    Role.rep: 1,
    Role.sales_desk: 1,
    Role.accountant: 1,
    Role.customer_service: 1,
    Role.supervisor: 2,
    Role.sales_manager: 3,
    Role.marketing_vp: 4,
    Role.finance_vp: 4,
    Role.general_manager: 5,
    Role.admin: 6,
}

MANAGING_ROLES = frozenset(
    {
        Role.supervisor,
        Role.sales_manager,
        Role.marketing_vp,
        Role.finance_vp,
        Role.general_manager,
        Role.admin,
    }
)

# The sales line: who follows customers and the chain of command above them (the customer
# register, plans and visit logs are theirs).
SALES_LINE = frozenset(
    {
        Role.rep,
        Role.supervisor,
        Role.sales_manager,
        Role.marketing_vp,
        Role.general_manager,
        Role.admin,
    }
)


def invitable_roles(inviter: Role) -> list[Role]:
    """Roles an inviter may hand out: an admin any role, a manager only roles below their own."""
    if inviter is Role.admin:
        return list(Role)
    if inviter not in MANAGING_ROLES:
        return []
    return [role for role in Role if RANK[role] < RANK[inviter]]
