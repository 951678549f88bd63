"""Use cases that bring people in: identify, invites, redeeming them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fakes import (
    ACE,
    ADA,
    FAY,
    GUS,
    MIA,
    NOW,
    RAY,
    ROB,
    SAM,
    SID,
    SUE,
    WEEK,
    FakeUnitOfWork,
    make_invite,
    make_org,
    make_person,
)

from bot.core.deals import InputProblem
from bot.core.errors import AlreadyMember, Deactivated, InviteInvalid, NotAllowed, NotFound
from bot.core.models import AuditEntry, Invite, Notification, Person
from bot.core.roles import Role
from bot.core.usecases.team import (
    create_invite,
    create_operator_invite,
    display_name,
    identify,
    invite_targets,
    newcomer_name,
    open_invite,
    open_invites,
    redeem_invite,
)

R = Role
NEWCOMER = 777_000


async def invite(uow: FakeUnitOfWork, actor: int, role: Role, reports_to: int | None) -> Invite:
    return await create_invite(
        uow,
        actor_id=actor,
        name="Li Wei",
        role=role,
        reports_to=reports_to,
        ttl=WEEK,
        now=NOW,
        new_code=lambda: "NEWCODE",
    )


# --- identify -----------------------------------------------------------------------------


async def test_identify_returns_a_known_person_unchanged(uow: FakeUnitOfWork) -> None:
    before = uow.snapshot()
    sue = uow.people[SUE]

    found = await identify(
        uow,
        telegram_id=sue.telegram_id,
        full_name="Someone Else",
        admin_ids=frozenset({sue.telegram_id}),
        now=NOW,
    )

    assert found == sue  # a rep listed in ADMIN_IDS later is not promoted behind anyone's back
    assert uow.snapshot() == before
    assert uow.committed == 0


async def test_identify_gives_a_stranger_nothing(uow: FakeUnitOfWork) -> None:
    before = uow.snapshot()

    found = await identify(
        uow, telegram_id=NEWCOMER, full_name="Eve", admin_ids=frozenset({1, 2}), now=NOW
    )

    assert found is None
    assert uow.snapshot() == before
    assert uow.committed == 0


async def test_identify_bootstraps_an_admin_from_admin_ids() -> None:
    uow = FakeUnitOfWork.of()

    person = await identify(
        uow,
        telegram_id=NEWCOMER,
        full_name="  Olga \n Petrova ",
        admin_ids=frozenset({NEWCOMER}),
        now=NOW,
        language="zh",
    )

    assert person is not None
    assert person.language == "zh"  # Telegram's language, so their first messages read right
    assert uow.people[person.id] == person
    assert (person.role, person.reports_to, person.full_name) == (R.admin, None, "Olga Petrova")
    assert person.joined_at == NOW
    assert uow.audit.entries == [
        AuditEntry("admin_bootstrap", person.id, NOW, f"person:{person.id}")
    ]
    assert uow.committed == 1


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Ada Lovelace", "Ada Lovelace"),
        ("  Ada \t\n Lovelace  ", "Ada Lovelace"),
        ("", "—"),
        ("   ", "—"),
        ("王小明", "王小明"),
        ("x" * 100, "x" * 64),
    ],
)
def test_display_name(raw: str, shown: str) -> None:
    assert display_name(raw) == shown


# --- create_invite ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "role", "reports_to"),
    [
        (ADA, R.admin, None),
        (ADA, R.general_manager, None),
        (ADA, R.rep, SUE),
        (ADA, R.sales_manager, MIA),
        (GUS, R.marketing_vp, GUS),
        (GUS, R.rep, SID),
        (SAM, R.supervisor, SAM),
        (SAM, R.rep, SUE),
        (SAM, R.customer_service, SID),
        (SUE, R.rep, SUE),
        (FAY, R.accountant, FAY),
    ],
)
async def test_create_invite_allowed(
    uow: FakeUnitOfWork, actor: int, role: Role, reports_to: int | None
) -> None:
    made = await invite(uow, actor, role, reports_to)

    assert made == Invite(
        code="NEWCODE",
        role=role,
        reports_to=reports_to,
        created_by=actor,
        created_at=NOW,
        expires_at=NOW + WEEK,
        name="Li Wei",
    )
    assert uow.invites["NEWCODE"] == made
    assert uow.audit.entries == [
        AuditEntry("invite_created", actor, NOW, "invite:NEWCODE", comment=role.value)
    ]
    assert uow.outbox.queued == []
    assert uow.committed == 1


@pytest.mark.parametrize(
    ("actor", "role", "reports_to", "error"),
    [
        (ADA, R.rep, ROB, NotAllowed),  # Rob manages nobody
        (ADA, R.rep, 99, NotAllowed),  # nobody at all
        (SAM, R.sales_manager, SAM, NotAllowed),  # own rank
        (SAM, R.marketing_vp, SAM, NotAllowed),  # higher rank
        (SAM, R.admin, SAM, NotAllowed),
        (SAM, R.rep, None, NotAllowed),  # only an admin makes invites without a manager
        (SAM, R.rep, MIA, NotAllowed),  # a forged manager id above the actor
        (SAM, R.rep, FAY, NotAllowed),  # … or in another branch
        (SUE, R.rep, SID, NotAllowed),  # a peer's team
        (SUE, R.supervisor, SUE, NotAllowed),
        (ROB, R.rep, SUE, NotAllowed),  # reps invite nobody
        (ACE, R.rep, FAY, NotAllowed),
        (99, R.rep, SUE, NotFound),
    ],
)
async def test_create_invite_refused(
    uow: FakeUnitOfWork, actor: int, role: Role, reports_to: int | None, error: type[Exception]
) -> None:
    before = uow.snapshot()

    with pytest.raises(error):
        await invite(uow, actor, role, reports_to)

    assert uow.snapshot() == before
    assert uow.committed == 0


async def test_a_deactivated_manager_cannot_invite(uow: FakeUnitOfWork) -> None:
    uow.people.rows[SAM].active = False
    before = uow.snapshot()

    with pytest.raises(Deactivated):
        await invite(uow, SAM, R.rep, SUE)

    assert uow.snapshot() == before
    assert uow.committed == 0


async def test_nobody_is_invited_under_a_deactivated_manager(uow: FakeUnitOfWork) -> None:
    uow.people.rows[SUE].active = False

    with pytest.raises(NotAllowed):
        await invite(uow, SAM, R.rep, SUE)

    assert uow.invites.rows == {}


async def test_invite_targets_are_the_actors_roles_and_active_managers_in_view(
    uow: FakeUnitOfWork,
) -> None:
    uow.people.rows[SID].active = False

    roles, managers = await invite_targets(uow, SAM)

    assert roles == [R.rep, R.supervisor, R.sales_desk, R.accountant, R.customer_service]
    assert [p.id for p in managers] == [SAM, SUE]
    assert uow.committed == 0


async def test_create_operator_invite_has_no_creator_and_no_manager() -> None:
    uow = FakeUnitOfWork.of()

    made = await create_operator_invite(
        uow, role=R.admin, ttl=timedelta(days=2), now=NOW, new_code=lambda: "OPS"
    )

    assert made == Invite("OPS", R.admin, None, None, NOW, NOW + timedelta(days=2))
    assert uow.invites["OPS"] == made
    assert uow.audit.entries == [
        AuditEntry("invite_created", None, NOW, "invite:OPS", comment="admin")
    ]
    assert uow.committed == 1


async def test_invite_codes_are_unguessable_and_fit_the_column(uow: FakeUnitOfWork) -> None:
    codes = set()
    for _ in range(20):
        made = await create_invite(
            uow, actor_id=ADA, name="Li Wei", role=R.rep, reports_to=SUE, ttl=WEEK, now=NOW
        )
        codes.add(made.code)

    assert len(codes) == 20
    assert all(16 <= len(code) <= 32 for code in codes)  # invites.code is String(32)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Li Wei", "Li Wei"),
        ("  李伟 ", "李伟"),
        ("Anna-Marie\n  O'Neil", "Anna-Marie O'Neil"),
        ("x" * 64, "x" * 64),
    ],
)
def test_newcomer_name_is_trimmed_text_with_a_letter(typed: str, name: str) -> None:
    assert newcomer_name(typed) == name


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("   ", "empty"),
        ("x" * 65, "too_long"),
        ("12345", "bad_name"),
        ("-- !", "bad_name"),
        ("Li\x00Wei", "bad_name"),
    ],
)
def test_newcomer_name_refuses(typed: str, problem: str) -> None:
    with pytest.raises(InputProblem) as caught:
        newcomer_name(typed)
    assert caught.value.code == problem


@pytest.mark.parametrize("typed", ["", "x" * 65, "007"])
async def test_create_invite_refuses_a_bad_name_and_changes_nothing(
    uow: FakeUnitOfWork, typed: str
) -> None:
    before = uow.snapshot()

    with pytest.raises(InputProblem):
        await create_invite(
            uow, actor_id=SAM, name=typed, role=R.rep, reports_to=SUE, ttl=WEEK, now=NOW
        )

    assert uow.snapshot() == before
    assert uow.committed == 0


def _open_org() -> FakeUnitOfWork:
    return FakeUnitOfWork.of(
        make_org(),
        [
            make_invite(code="SAM1", name="Li Wei", created_by=SAM, reports_to=SUE),
            make_invite(code="SAM2", name="Wang Fang", created_by=SAM, expires_at=NOW + WEEK),
            make_invite(code="SUE1", name="Zhou Min", created_by=SUE, reports_to=SUE),
            make_invite(code="USED", name="Old", created_by=SAM, used_by=5, used_at=NOW),
            make_invite(code="GONE", name="Late", created_by=SAM, expires_at=NOW),
        ],
    )


@pytest.mark.parametrize(
    ("actor", "codes"),
    [
        (SAM, ["SAM1", "SAM2"]),  # one's own, still waiting, soonest to expire first
        (SUE, ["SUE1"]),
        (ADA, ["SAM1", "SUE1", "SAM2"]),  # an admin sees everyone's
    ],
)
async def test_open_invites_are_the_actors_own_still_waiting(actor: int, codes: list[str]) -> None:
    shown = await open_invites(_open_org(), actor, NOW)

    assert [invite.code for invite, _ in shown] == codes


async def test_open_invites_name_the_manager() -> None:
    shown = await open_invites(_open_org(), SAM, NOW)

    assert [(i.name, manager) for i, manager in shown] == [
        ("Li Wei", "Sue"),
        ("Wang Fang", None),
    ]


@pytest.mark.parametrize(("actor", "code"), [(SUE, "SAM1"), (SAM, "USED"), (SAM, "NOPE")])
async def test_open_invite_refuses_another_persons_or_a_closed_code(actor: int, code: str) -> None:
    with pytest.raises(NotFound):
        await open_invite(_open_org(), actor, code, NOW)


async def test_a_rep_has_no_open_invites_to_see() -> None:
    with pytest.raises(NotAllowed):
        await open_invites(_open_org(), ROB, NOW)


# --- redeem_invite ------------------------------------------------------------------------


async def redeem(uow: FakeUnitOfWork, code: str = "CODE", telegram_id: int = NEWCOMER) -> Person:
    return await redeem_invite(
        uow, code=code, telegram_id=telegram_id, full_name="New  Comer", language="en", now=NOW
    )


def with_invite(**overrides: object) -> FakeUnitOfWork:
    return FakeUnitOfWork.of(make_org(), [make_invite(**overrides)])


async def test_redeem_creates_the_person_and_tells_creator_and_manager_once_each() -> None:
    uow = with_invite(role=R.rep, created_by=SAM, reports_to=SUE)

    person = await redeem(uow)

    assert uow.people[person.id] == person
    assert (person.telegram_id, person.full_name, person.role) == (NEWCOMER, "New Comer", R.rep)
    assert (person.reports_to, person.language, person.joined_at) == (SUE, "en", NOW)
    assert (uow.invites["CODE"].used_by, uow.invites["CODE"].used_at) == (NEWCOMER, NOW)
    joined = Notification(0, "member_joined", {"name": "New Comer", "role": "rep"})
    assert uow.outbox.sent_to(SAM) == [replace(joined, recipient_id=SAM)]
    assert uow.outbox.sent_to(SUE) == [replace(joined, recipient_id=SUE)]
    assert uow.outbox.sent_to(person.id) == []
    assert len(uow.outbox.queued) == 2
    assert uow.audit.actions() == ["joined"]
    assert uow.committed == 1


async def test_the_newcomer_joins_under_the_invited_name() -> None:
    uow = with_invite(role=R.rep, created_by=SAM, reports_to=SUE, name="Li Wei")

    person = await redeem(uow)

    assert person.full_name == "Li Wei"  # not the Telegram name "New  Comer"
    assert uow.outbox.queued[0].notification.params == {"name": "Li Wei", "role": "rep"}


@pytest.mark.parametrize(
    ("created_by", "reports_to", "told"),
    [
        (SUE, SUE, [SUE]),  # creator and manager are one person: one message
        (None, None, []),  # an operator invite: nobody to tell
        (None, SUE, [SUE]),
        (ADA, None, [ADA]),
    ],
)
async def test_redeem_tells_each_person_once(
    created_by: int | None, reports_to: int | None, told: list[int]
) -> None:
    uow = with_invite(created_by=created_by, reports_to=reports_to)

    await redeem(uow)

    assert uow.outbox.recipients() == told


@pytest.mark.parametrize(
    ("code", "invite", "reason"),
    [
        ("NOPE", make_invite(), "unknown"),
        ("CODE", make_invite(used_by=123, used_at=NOW - timedelta(hours=1)), "used"),
        ("CODE", make_invite(expires_at=NOW), "expired"),
        ("CODE", make_invite(expires_at=NOW - timedelta(days=1)), "expired"),
    ],
)
async def test_redeem_refuses_a_bad_code(code: str, invite: Invite, reason: str) -> None:
    uow = FakeUnitOfWork.of(make_org(), [invite])
    before = uow.snapshot()

    with pytest.raises(InviteInvalid) as caught:
        await redeem(uow, code)

    assert caught.value.reason == reason
    assert uow.snapshot() == before
    assert uow.committed == 0


async def test_redeem_refuses_someone_already_in_the_team() -> None:
    uow = with_invite(reports_to=SUE)
    before = uow.snapshot()

    with pytest.raises(AlreadyMember):
        await redeem(uow, telegram_id=uow.people[RAY].telegram_id)

    assert uow.snapshot() == before  # the invite is still there for the one it was meant for
    assert uow.committed == 0


async def test_a_code_works_once() -> None:
    uow = with_invite(reports_to=SUE)
    await redeem(uow, telegram_id=NEWCOMER)
    after_first = uow.snapshot()

    with pytest.raises(InviteInvalid) as caught:
        await redeem(uow, telegram_id=NEWCOMER + 1)

    assert caught.value.reason == "used"
    assert uow.snapshot() == after_first
    assert uow.committed == 1


async def test_redeem_loses_the_race_for_a_code_cleanly() -> None:
    uow = with_invite(reports_to=SUE)
    uow.invites.claimed_elsewhere.add("CODE")
    before = uow.snapshot()

    with pytest.raises(InviteInvalid) as caught:
        await redeem(uow)

    assert caught.value.reason == "used"
    assert uow.snapshot() == before
    assert uow.committed == 0


async def test_a_redeemed_admin_invite_makes_an_admin() -> None:
    uow = FakeUnitOfWork.of([make_person(id=ADA, role=R.admin)], [make_invite(role=R.admin)])

    person = await redeem(uow)

    assert person.is_admin
    assert await uow.people.admin_count() == 2


async def test_an_operator_invite_may_carry_the_newcomer_s_name_checked_like_any() -> None:
    uow = FakeUnitOfWork.of()
    made = await create_operator_invite(
        uow, role=R.admin, ttl=timedelta(days=2), now=NOW, name="  Li   Wei ", new_code=lambda: "N"
    )
    assert made.name == "Li Wei"
    with pytest.raises(InputProblem):
        await create_operator_invite(uow, role=R.admin, ttl=timedelta(days=2), now=NOW, name="123")
