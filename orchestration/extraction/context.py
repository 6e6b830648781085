"""What the rules share while reading one report: its subject, body year, catalog, and the facts so far."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .catalog import Catalog, Indicator
from .entities import Entity
from .fact import Fact
from .places import ancestors
from .units import Quantity, to_canonical


@dataclass
class ReportContext:
    source_file: str
    sha256: str
    entity: Entity
    body_year: int
    catalog: Catalog
    written_year: int | None = None  # a dated document's year: its 今年/去年 count from it
    facts: list[Fact] = field(default_factory=list)
    # (block index, offset) of every prose number a rule has read, so scoring leaves it alone.
    claimed: set[tuple[int, int]] = field(default_factory=set)
    # The facts the rules read off each of those numbers: evidence for the learned scorer.
    read_at: dict[tuple[int, int], list[Fact]] = field(default_factory=dict)
    # Another school or place a clause is about ("长宁区2022年中职校毕业生490人"), or None.
    entity_of: Callable[[str], Entity | None] = lambda text: None
    # The school or place within the area that a table row's label names ("襄垣县"), or None.
    row_entity_of: Callable[[str], Entity | None] = lambda label: None

    def add(self, entity: Entity, page: int, year: int, ind: Indicator, value: float, snippet: str,
            method: str, rule: str, q: Quantity | None = None, printed: str = "", note: str = "",
            position: tuple[int, int] | None = None) -> None:
        if position is not None:
            self.claimed.add(position)
        if value == 0 and ind.kind != "rate":
            return  # a zero count or amount in a form-style table means "none reported", not a level
        if entity != self.entity and entity.level != "school" and (self.entity.level == "school" or self._above_subject(entity)):
            return  # an area's figure in a school's report, the province's in a city's: context, not its data
        self.facts.append(
            Fact(self.source_file, self.sha256, page, entity.name, entity.level, entity.admin_code, year,
                 ind.code, value, ind.unit, snippet, method, rule, bool(q and q.approximate),
                 printed or (q.printed if q else ""), confidence_reason=note)
        )
        if position is not None:
            self.read_at.setdefault(position, []).append(self.facts[-1])

    def _above_subject(self, entity: Entity) -> bool:
        """Whether an area is the subject's own parent (or, for a school, the area it sits in)."""
        if not entity.admin_code or not self.entity.admin_code:
            return False
        parents = ancestors(self.entity.admin_code)
        return entity.admin_code in (parents if self.entity.level == "school" else parents[1:])


def unit_value(ind: Indicator, q: Quantity, bare_ok: bool) -> float | None:
    if q.unit == "" and not bare_ok and ind.kind not in ("ratio",):
        return None
    unit = q.unit if q.unit or ind.kind == "ratio" else bare_unit(ind)
    return to_canonical(q.number, unit, ind.unit)


def bare_unit(ind: Indicator) -> str:
    return {"学生数/教师": ""}.get(ind.unit, ind.unit)
