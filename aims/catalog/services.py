"""Loading the catalog from the data files shipped with aims."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from aims.catalog.models import Framework, Requirement

DATA_DIR = Path(__file__).resolve().parent / "data"


def sort_key(ref: str) -> str:
    """'A.6.2.10' → 'A.0006.0002.0010' so that refs sort in document order."""
    return ".".join(p.zfill(4) if p.isdigit() else p for p in re.split(r"\.", ref))


def domain_of(ref: str, kind: str) -> str:
    if kind == Requirement.Kind.CLAUSE:
        return ref.split(".")[0]
    return ".".join(ref.split(".")[:2])


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: int
    updated: int


@transaction.atomic
def catalog_load(*, path: Path) -> LoadResult:
    """Create or update one framework from its data file; idempotent, never deletes."""
    data = json.loads(path.read_text(encoding="utf-8"))
    fw, _ = Framework.objects.update_or_create(
        code=data["code"],
        defaults={k: data.get(k, "") for k in
                  ("name", "title", "version", "publisher", "attribution")}
        | {"data_version": data.get("data_version", 1), "domains": data.get("domains", [])},
    )
    existing = {r.ref: r for r in Requirement.objects.filter(framework=fw)}
    created = updated = 0
    by_ref: dict[str, Requirement] = {}
    for row in data["requirements"]:
        values = {
            "kind": row["kind"], "title": row["title"],
            "domain": domain_of(row["ref"], row["kind"]),
            "documented_information": row.get("documented_information", ""),
            "description": row.get("description", ""),
            "auditor_asks": row.get("auditor_asks", []),
            "questions": row.get("questions", []),
            "sort_key": sort_key(row["ref"]),
            "parent": by_ref.get(row["parent"]) if row.get("parent") else None,
        }
        req = existing.get(row["ref"])
        if req is None:
            req = Requirement.objects.create(framework=fw, ref=row["ref"], **values)
            created += 1
        elif any(getattr(req, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(req, k, v)
            req.save()
            updated += 1
        by_ref[row["ref"]] = req
    return LoadResult(fw, created, updated)


def catalog_load_all() -> list[LoadResult]:
    """Load every framework data file shipped in aims/catalog/data/."""
    return [catalog_load(path=p) for p in sorted(DATA_DIR.glob("*.json"))]
