from __future__ import annotations

import pytest
from fakes import ACE, ADA, FAY, GUS, MIA, RAY, ROB, SAM, SID, SUE, make_org, make_person

from bot.core.org import line_above, subtree_ids, tree_rows, visible_ids, would_cycle

ORG = make_org()
BY_ID = {p.id: p for p in ORG}
ALL = set(BY_ID)


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (SAM, {SAM, SUE, ROB, SID, RAY}),
        (GUS, ALL - {ADA}),
        (FAY, {FAY, ACE}),
        (ROB, {ROB}),
        (99, {99}),  # an unknown id is its own (empty) subtree
    ],
)
def test_subtree_ids(root: int, expected: set[int]) -> None:
    assert subtree_ids(root, ORG) == expected


def test_subtree_of_a_cycle_ends() -> None:
    loop = [make_person(id=1, reports_to=2), make_person(id=2, reports_to=1)]

    assert subtree_ids(1, loop) == {1, 2}


@pytest.mark.parametrize(
    ("person_id", "expected"),
    [
        (ROB, [SUE, SAM, MIA, GUS]),
        (ACE, [FAY, GUS]),
        (GUS, []),
        (ADA, []),
        (99, []),
    ],
)
def test_line_above(person_id: int, expected: list[int]) -> None:
    assert [p.id for p in line_above(person_id, BY_ID)] == expected


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        # a manager missing from the data: the line ends there
        ([make_person(id=1, reports_to=2), make_person(id=2, reports_to=3)], [2]),
        # a cycle in bad data: everyone once, then the line ends
        (
            [
                make_person(id=1, reports_to=2),
                make_person(id=2, reports_to=3),
                make_person(id=3, reports_to=1),
            ],
            [2, 3],
        ),
        ([make_person(id=1, reports_to=1)], []),
    ],
)
def test_line_above_bad_data_ends(people: list, expected: list[int]) -> None:
    assert [p.id for p in line_above(1, {p.id: p for p in people})] == expected


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (ADA, ALL),
        (GUS, ALL - {ADA}),
        (SUE, {SUE, ROB}),
        (ROB, {ROB}),
    ],
)
def test_visible_ids(viewer: int, expected: set[int]) -> None:
    assert visible_ids(BY_ID[viewer], ORG) == expected


@pytest.mark.parametrize(
    ("person_id", "new_manager", "cycles"),
    [
        (SAM, ROB, True),  # under one's own report's report
        (SAM, SUE, True),
        (SAM, SAM, True),  # under oneself
        (SAM, None, False),
        (SAM, FAY, False),
        (ROB, SID, False),
        (GUS, ADA, False),
    ],
)
def test_would_cycle(person_id: int, new_manager: int | None, cycles: bool) -> None:
    assert would_cycle(person_id, new_manager, ORG) is cycles


def test_tree_rows_order_and_depth() -> None:
    rows = [(depth, p.full_name) for depth, p in tree_rows(ORG)]

    assert rows == [
        (0, "Ada"),
        (0, "Gus"),
        (1, "Fay"),  # siblings by name
        (2, "Ace"),
        (1, "Mia"),
        (2, "Sam"),
        (3, "Sid"),
        (4, "Ray"),
        (3, "Sue"),
        (4, "Rob"),
    ]


def test_tree_rows_sorts_names_case_blind() -> None:
    people = [
        make_person(id=1, full_name="bob"),
        make_person(id=2, full_name="Alice"),
        make_person(id=3, full_name="Carl"),
    ]

    assert [p.full_name for _, p in tree_rows(people)] == ["Alice", "bob", "Carl"]


def test_tree_rows_shows_orphans_as_roots_after_the_real_roots() -> None:
    team = [p for p in ORG if p.id in {SAM, SUE, ROB, SID}]  # Sam's manager Mia is not shown
    people = [
        *team,
        make_person(id=50, full_name="Zed"),
        make_person(id=51, full_name="Abe", reports_to=99),
    ]

    rows = [(depth, p.full_name) for depth, p in tree_rows(people)]

    assert rows == [(0, "Zed"), (0, "Abe"), (0, "Sam"), (1, "Sid"), (1, "Sue"), (2, "Rob")]
