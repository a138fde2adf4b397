"""Loading the catalog from the data files shipped with aims."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from aims.catalog.models import OWN_PREFIX, Coverage, Framework, Mapping, Requirement

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
    mappings: int = 0


@transaction.atomic
def catalog_load(*, path: Path) -> LoadResult:
    """Create or update one framework from its data file; idempotent, never deletes."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["code"].startswith(OWN_PREFIX):
        raise ValueError(f"{path.name}: a shipped framework's code cannot start with "
                         f"{OWN_PREFIX!r} (kept for the organisations' own catalogs)")
    fw, _ = Framework.objects.update_or_create(
        code=data["code"], org=None,
        defaults={k: data.get(k, "") for k in
                  ("name", "title", "version", "publisher", "attribution")}
        | {"data_version": data.get("data_version", 1), "domains": data.get("domains", []),
           "role": data.get("role", "requirements"), "timeline": data.get("timeline", [])},
    )
    existing = {r.ref: r for r in Requirement.objects.filter(framework=fw)}
    created = updated = 0
    by_ref: dict[str, Requirement] = {}
    for row in data["requirements"]:
        values = {
            "kind": row["kind"], "title": row["title"],
            "domain": row["domain"] if "domain" in row else domain_of(row["ref"], row["kind"]),
            "documented_information": row.get("documented_information", ""),
            "description": row.get("description", ""),
            "auditor_asks": row.get("auditor_asks", []),
            "questions": row.get("questions", []),
            "sort_key": row.get("sort_key") or sort_key(row["ref"]),
            "addressees": row.get("addressees", []),
            "applies_to": row.get("applies_to", ""),
            "applies_from": row.get("applies_from", []),
            "notes": row.get("notes", ""),
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


MAPPING_FIELDS = ("relationship", "coverage", "confidence", "corroborated_by",
                  "ref_as_published", "scf_transitive_support", "notes")


@transaction.atomic
def mappings_load(*, path: Path) -> int:
    """Bring the crosswalk rows of one data file (its "mappings", each pairing an ISO/IEC
    42001 ref with a ref of the file's framework) into the catalog; idempotent. Mappings are
    derived data nothing else points at, so rows the file no longer has are removed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data.get("mappings", [])
    fw = Framework.objects.get(code=data["code"], org=None)
    iso = dict(Requirement.objects.filter(framework__code="iso42001").values_list("ref", "pk"))
    own = dict(Requirement.objects.filter(framework=fw).values_list("ref", "pk"))
    existing = {m.position: m for m in Mapping.objects.filter(framework=fw)}
    changed = 0
    for position, row in enumerate(rows, 1):
        if row["coverage"] not in Coverage.values:
            raise ValueError(f"{path.name} mapping {position}: unknown coverage {row['coverage']!r}")
        values = {k: row.get(k, "") or "" for k in MAPPING_FIELDS}
        values["provenance"] = row.get("source", "")
        try:
            values["source_id"] = iso[row["iso42001"]] if row.get("iso42001") else None
            values["target_id"] = own[row["target"]] if row.get("target") else None
        except KeyError as exc:
            raise ValueError(f"{path.name} mapping {position}: unknown ref {exc}") from None
        m = existing.pop(position, None)
        if m is None:
            Mapping.objects.create(framework=fw, position=position, **values)
            changed += 1
        elif any(getattr(m, k) != v for k, v in values.items()):
            Mapping.objects.filter(pk=m.pk).update(**values)
            changed += 1
    if existing:
        Mapping.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()
    return changed


def catalog_load_all() -> list[LoadResult]:
    """Load every framework data file shipped in aims/catalog/data/, then the crosswalks
    (which need every framework's requirements)."""
    paths = sorted(DATA_DIR.glob("*.json"))
    results = [catalog_load(path=p) for p in paths]
    return [LoadResult(r.framework, r.created, r.updated, mappings_load(path=p))
            for r, p in zip(results, paths, strict=True)]
