"""The /deal form through the emulator: what a rep types, what the bot says back, and what the
summary (and, once submitted, the approver's card) shows."""

from __future__ import annotations

from harness import Sandbox
from test_approval_flows_e2e import settle, user_of

from bot.core.usecases import customers
from botapi_emulator.driver import SandboxUser
from storage.uow import SqlUnitOfWork

SUPERVISOR, REP, REP_ZH = 1004, 1005, 1006
CUSTOMER = "Acme Trading Co."

PRODUCT_PROMPT = "Which product, or what is being sold? (up to 200 characters)"
QUANTITY_PROMPT = "Quantity?"
AMOUNT_PROMPT = "Total amount of the deal, before the discount?"
DISCOUNT_PROMPT = "Discount asked for? In percent (12 or 12%), or the 折 way (九五折 is 5 %)."
PAYMENT_TERMS_PROMPT = "Special payment terms? (up to 300 characters)"
DEPOSIT_PROMPT = "Expected deposit?"
NOT_A_NUMBER = "Please type a number, for example 12000 or 12,000.50."
NOT_POSITIVE = "Please type a number greater than zero."
NO_SPECIAL_TERMS = "A request needs special terms: a discount, special payment terms, or both."


def read_back(line: str, prompt: str) -> str:
    """The next question under the number just typed, as the bot understood it."""
    return f"✓ {line}\n{prompt}"


async def answer(user: SandboxUser, text: str) -> list[str]:
    """Type ``text``; everything the bot writes back, in order."""
    typed = await user.send(text)
    return [m.text for m in user.bot_messages() if m.message_id > typed.message_id]


async def start_with_new_customer(rep: SandboxUser, name: str = CUSTOMER) -> None:
    await rep.send("/deal")
    await rep.tap("➕ New customer")
    assert rep.last_text() == "The new customer's company name?"
    assert await answer(rep, name) == [PRODUCT_PROMPT]


async def alert_of(user: SandboxUser) -> str | None:
    answer = user.last_callback_answer()
    assert answer is not None
    assert answer["show_alert"], answer
    return answer["text"]


def nothing_filed(demo: Sandbox, rep: SandboxUser) -> bool:
    no_status = not [m for m in rep.bot_messages() if m.text.startswith("Your request #")]
    told = [m.text for m in demo.emulator.transcript(SUPERVISOR)]
    # the new customer itself enters the prospect register; no request card follows
    return no_status and all("to confirm" in text for text in told)


async def test_wrong_amounts_are_asked_again_and_the_form_keeps_what_was_typed(
    demo: Sandbox,
) -> None:
    rep = user_of(demo, REP)
    await start_with_new_customer(rep)
    assert await answer(rep, "Steel pipes") == [QUANTITY_PROMPT]
    amount_prompt = read_back("Quantity: 100", AMOUNT_PROMPT)
    assert await answer(rep, "100") == [amount_prompt]

    assert await answer(rep, "abc") == [NOT_A_NUMBER, amount_prompt]
    said = await answer(rep, "-5")
    # Refused; "greater than zero" would be clearer than "type a number" for a negative one.
    assert said[0] in {NOT_A_NUMBER, NOT_POSITIVE}
    assert said[1:] == [amount_prompt]
    assert await answer(rep, "1.234") == [
        "Please use at most 2 digits after the decimal point.",
        amount_prompt,
    ]
    assert await answer(rep, "0") == [NOT_POSITIVE, amount_prompt]
    assert await answer(rep, "12,000.50") == [read_back("Amount: ¥12,000.50", DISCOUNT_PROMPT)]
    said = await answer(rep, "8")
    assert len(said) == 1, "the optional answers wait on the summary"

    summary = said[0]
    for line in (
        f"Customer: {CUSTOMER}",
        "Product: Steel pipes",
        "Quantity: 100",
        "Amount: ¥12,000.50",
        "Discount: 8 % · net: ¥11,040.46",
        "Payment terms: —",
        "Deposit: —",
        "Note: —",
    ):
        assert line in summary.splitlines(), line


async def test_over_long_texts_and_a_discount_over_100_are_refused(demo: Sandbox) -> None:
    rep = user_of(demo, REP)
    await start_with_new_customer(rep)
    assert await answer(rep, "p" * 201) == [
        "That is 201 characters; please keep it to 200.",
        PRODUCT_PROMPT,
    ]
    assert await answer(rep, "p" * 200) == [QUANTITY_PROMPT], "200 characters are fine"
    assert await answer(rep, "3") == [read_back("Quantity: 3", AMOUNT_PROMPT)]
    discount_prompt = read_back("Amount: ¥50,000.00", DISCOUNT_PROMPT)
    assert await answer(rep, "¥ 50 000") == [discount_prompt]
    assert await answer(rep, "101") == [
        "That number is too large; the most is 100.",
        discount_prompt,
    ]
    await rep.send("12.5%")

    summary = rep.last_text().splitlines()
    assert f"Product: {'p' * 200}" in summary
    assert "Amount: ¥50,000.00" in summary
    assert "Discount: 12.5 % · net: ¥43,750.00" in summary


async def test_a_request_without_special_terms_cannot_be_sent_until_one_is_added(
    demo: Sandbox,
) -> None:
    rep = user_of(demo, REP)
    await start_with_new_customer(rep)
    await rep.send("Steel pipes")
    await rep.send("100")
    await rep.send("120000")
    await rep.tap("No discount")
    assert "Discount: —" in rep.last_text()
    assert "Payment terms: —" in rep.last_text()

    await rep.tap("📨 Submit")
    assert await alert_of(rep) == NO_SPECIAL_TERMS
    await settle(demo)
    assert nothing_filed(demo, rep)
    assert rep.buttons()[0] == "📨 Submit", "the summary stays for a fix"

    await rep.tap("✏️ Payment terms")
    assert rep.last_text() == PAYMENT_TERMS_PROMPT
    assert "◀ Back to the summary" in rep.buttons()
    await rep.send("60 days net")
    assert "Payment terms: 60 days net" in rep.last_text().splitlines()
    await rep.tap("📨 Submit")
    await settle(demo)
    assert any(
        m.text.startswith("Request #1 is on its way: Chen Jing decides first.")
        for m in rep.bot_messages()
    )
    card = user_of(demo, SUPERVISOR).last_text()
    assert "Payment terms: 60 days net" in card
    assert "Discount" not in card


async def test_a_deposit_larger_than_the_amount_is_refused(demo: Sandbox) -> None:
    rep = user_of(demo, REP)
    await start_with_new_customer(rep)
    await rep.send("Steel pipes")
    await rep.send("100")
    await rep.send("1,000")
    await rep.send("5")
    await rep.tap("✏️ Deposit")
    assert rep.last_text() == DEPOSIT_PROMPT
    assert await answer(rep, "1,500") == [
        "The deposit cannot be larger than the amount.",
        DEPOSIT_PROMPT,
    ]
    said = await answer(rep, "1,000")
    assert len(said) == 1, "equal to the amount is fine: back to the summary"
    assert "Deposit: ¥1,000.00" in said[0].splitlines()

    # Lowering the amount afterwards is caught at Submit.
    await rep.tap("✏️ Amount")
    await rep.send("800")
    await rep.tap("📨 Submit")
    assert await alert_of(rep) == "The deposit cannot be larger than the amount."
    await settle(demo)
    assert nothing_filed(demo, rep)

    await rep.tap("✏️ Deposit")
    said = await answer(rep, "800")
    assert len(said) == 1, "back to the summary"
    assert "Deposit: ¥800.00" in said[0].splitlines()
    await rep.tap("📨 Submit")
    await settle(demo)
    assert "Deposit: ¥800.00" in user_of(demo, SUPERVISOR).last_text()


async def test_an_existing_customer_is_found_by_part_of_its_name(demo: Sandbox) -> None:
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        for owner, name in (
            (REP, CUSTOMER),
            (REP, "Beta Logistics"),
            (REP_ZH, "Acme Holdings"),  # Sun Li's: never offered to Zhao Lei
        ):
            person = await uow.people.by_telegram_id(owner)
            assert person is not None
            await customers.quick_add(uow, owner_id=person.id, name=name, now=demo.clock())
    rep = user_of(demo, REP)

    await rep.send("/deal")
    assert sorted(rep.buttons()[:2]) == sorted([CUSTOMER, "Beta Logistics"])
    assert rep.buttons()[2:] == ["➕ New customer", "✖ Cancel"]
    await rep.send("ACME")
    assert "Matches for “ACME”:" in rep.last_text()
    assert rep.buttons() == [CUSTOMER, "Show all my customers", "➕ New customer", "✖ Cancel"]
    await rep.send("zzz")
    assert "No customers found. Add one below." in rep.last_text()
    assert rep.buttons() == ["Show all my customers", "➕ New customer", "✖ Cancel"]
    await rep.send("trading")
    await rep.tap(CUSTOMER)
    assert rep.last_text() == PRODUCT_PROMPT
    await rep.send("Steel pipes")
    await rep.send("10")
    await rep.send("5000")
    await rep.send("3")
    assert f"Customer: {CUSTOMER}" in rep.last_text().splitlines()


async def test_cancel_in_the_middle_leaves_no_request(demo: Sandbox) -> None:
    rep = user_of(demo, REP)
    await start_with_new_customer(rep)
    await rep.send("Steel pipes")
    await rep.send("100")
    assert rep.last_text().endswith(AMOUNT_PROMPT)

    assert await answer(rep, "/cancel") == ["Cancelled. The half-filled form was discarded."]
    said = await answer(rep, "120000")
    assert said[0].startswith("Matches for “120000”:"), "the form is gone: a customer search"
    await rep.send("/my")
    assert rep.last_text() == "You have no requests yet. /deal starts one."
    await settle(demo)
    assert nothing_filed(demo, rep)


async def test_a_customer_added_in_the_form_goes_through_the_duplicate_check(
    demo: Sandbox,
) -> None:
    """Another rep's company is refused with its owner's name (and the name is asked again);
    one's own is reused; a new one enters the prospect register for the supervisor."""
    assert demo.app is not None
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        sun = await uow.people.by_telegram_id(REP_ZH)
        assert sun is not None
        await customers.quick_add(uow, owner_id=sun.id, name="Acme Holdings", now=demo.clock())
    await settle(demo)
    rep, supervisor = user_of(demo, REP), user_of(demo, SUPERVISOR)

    await rep.send("/deal")
    await rep.tap("➕ New customer")
    assert await answer(rep, "ACME holdings ltd") == [
        "“Acme Holdings” is already registered by Sun Li. Please talk to them or your "
        "supervisor before working with this customer."
    ]
    assert await answer(rep, CUSTOMER) == [PRODUCT_PROMPT]
    await settle(demo)
    assert f"• {CUSTOMER} · registered by Zhao Lei" in supervisor.last_text().splitlines()

    await rep.send("/deal")
    await rep.tap("➕ New customer")
    assert await answer(rep, "acme trading") == [PRODUCT_PROMPT]
    async with SqlUnitOfWork(demo.app.sessionmaker) as uow:
        zhao = await uow.people.by_telegram_id(REP)
        assert zhao is not None
        assert [c.name for c in await uow.customers.owned_by([zhao.id])] == [CUSTOMER]
