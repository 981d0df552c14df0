"""The decisions of the planner (填平补齐): what can be built, bought, hired, trained, designated
or promoted, and which columns of the school table each unit of it adds to.

Source: docs/plan.md §1. Codes of the columns are those of the school table (docs/data-dictionary.md).
Whole-school items are decided per *school*; the engine (core/units.py) splits what a
九年一贯制 school or 完全中学 gets between its units, so one purchase serves both sections and is
never bought twice. Teacher items are decided per *section* (``_P`` / ``_J``): teachers are
counted in the section they teach. Pure data, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass

SECTIONS = ("P", "J")


@dataclass(frozen=True)
class Item:
    """One kind of decision.

    code: the cost-file key (``teaching_area_m2``, ``pe_teachers``, ``train_qualified_teachers`` …);
    action: ``build`` | ``buy`` | ``hire`` | ``train`` | ``designate`` | ``promote``;
    section: False for whole-school items, True for items decided per section (P / J);
    adds: the school-table columns one unit of the item adds 1 to (for section items without the
    ``_P`` / ``_J`` suffix); column: the column named in an action's ``item`` (section items get
    the suffix); unit: display unit; eligible: for options on existing teachers, the pair
    (whole, part) whose difference bounds the quantity (teachers who are not yet qualified …).
    """

    code: str
    action: str
    section: bool
    adds: tuple[str, ...]
    column: str
    unit: str
    eligible: tuple[str, str] | None = None


ITEMS: dict[str, Item] = {i.code: i for i in (
    Item("teaching_area_m2", "build", False, ("teaching_area_m2",), "teaching_area_m2", "㎡"),
    # indoor sports area is part of the teaching area (docs/data-dictionary.md): both columns grow
    Item("indoor_sports_m2", "build", False, ("teaching_area_m2", "indoor_sports_m2"), "indoor_sports_m2", "㎡"),
    Item("sports_ground_m2", "build", False, ("sports_ground_m2",), "sports_ground_m2", "㎡"),
    Item("equipment_value_yuan", "buy", False, ("equipment_value_yuan",), "equipment_value_yuan", "元"),
    Item("teaching_computers", "buy", False, ("teaching_computers",), "teaching_computers", "台"),
    Item("books", "buy", False, ("books",), "books", "册"),
    Item("multimedia_rooms", "buy", False, ("multimedia_rooms",), "multimedia_rooms", "间"),
    # new teachers hold the higher-than-required degree (ASSUMPTION, docs/plan.md §1)
    Item("qualified_teachers", "hire", True, ("teachers", "qualified_teachers"), "qualified_teachers", "人"),
    Item("pe_teachers", "hire", True, ("teachers", "qualified_teachers", "pe_teachers"), "pe_teachers", "人"),
    Item("music_teachers", "hire", True, ("teachers", "qualified_teachers", "music_teachers"), "music_teachers", "人"),
    Item("art_teachers", "hire", True, ("teachers", "qualified_teachers", "art_teachers"), "art_teachers", "人"),
    Item("backbone_teachers", "hire", True,
         ("teachers", "qualified_teachers", "senior_title_teachers", "backbone_teachers"), "backbone_teachers", "人"),
    Item("train_qualified_teachers", "train", True, ("qualified_teachers",), "qualified_teachers", "人",
         ("teachers", "qualified_teachers")),
    Item("designate_backbone_teachers", "designate", True, ("backbone_teachers",), "backbone_teachers", "人",
         ("teachers", "backbone_teachers")),
    Item("promote_senior_title_teachers", "promote", True, ("senior_title_teachers",), "senior_title_teachers", "人",
         ("teachers", "senior_title_teachers")),
)}

#: Teacher kinds whose sum is the PE/art count when no pe_art_teachers_<s> total is given (core/units.py).
PE_ART_PARTS = ("pe_teachers", "music_teachers", "art_teachers")


def column_of(item: Item, section: str | None) -> str:
    """The ``item`` text of an action: the column, with the section suffix for section items."""
    return f"{item.column}_{section}" if item.section else item.column
