"""The admin divisions seed (dbt_project/seeds/admin_divisions.csv, generated from cpca's table):
GB/T 2260 codes, names and levels."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import DBT_PROJECT_DIR

ADMIN_DIVISIONS_PATH = DBT_PROJECT_DIR / "seeds" / "admin_divisions.csv"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | city | county

    @property
    def short(self) -> str:
        return short_name(self.name)


def short_name(name: str) -> str:
    for suffix in ("自治县", "自治州", "自治区", "特别行政区", "地区", "新区", "省", "市", "区", "县", "旗", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def division_level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def parent_codes(code: str) -> tuple[str, str]:
    """(city code, province code) of a division code."""
    return code[:4] + "00", code[:2] + "0000"


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """code → Division, from the admin_divisions seed (generated from cpca's table)."""
    out = {}
    with open(ADMIN_DIVISIONS_PATH, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out[row["admin_code"]] = Division(row["admin_code"], row["name"], row["level"])
    return out


def build_admin_divisions(path: Path = ADMIN_DIVISIONS_PATH) -> int:
    """Regenerate the admin_divisions seed from the table cpca ships."""
    import importlib.resources

    import pandas as pd

    table = pd.read_csv(importlib.resources.files("cpca") / "resources" / "adcodes.csv", dtype=str)
    rows = {}
    for code12, name in zip(table["adcode"], table["name"]):
        code = code12[:6]
        if code12[6:].strip("0") or code in rows:
            continue  # towns and duplicates
        level = division_level(code)
        city, province = parent_codes(code)
        rows[code] = {
            "admin_code": code,
            "name": name,
            "level": level,
            "city_code": city if level == "county" else (code if level == "city" else ""),
            "province_code": province,
        }
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["admin_code", "name", "level", "city_code", "province_code"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows.values(), key=lambda r: r["admin_code"]))
    return len(rows)
