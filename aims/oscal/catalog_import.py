"""Bringing an OSCAL catalog in as a framework of the organisation's own: all or nothing.

A catalog (say, a company's internal AI control set) becomes a framework only the organisation
that brought it in sees: its groups become sections, its controls requirements with their ids,
titles, labels and the prose of their parts as the organisation's own text, and each control
gets a compliance item in the organisation, so it is decided, owned, evidenced and counted
like a control of the Statement of Applicability. An optional OSCAL profile selects which of
the catalog's controls to bring in.

Bringing in a newer version of the same catalog (the same metadata title, or the same UUID)
updates titles and text, adds the new controls and retires those it no longer has: a retired
control keeps its decision and evidence as a record. A dry run makes the very same writes and
rolls them back, so what it reports is what an import would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from aims.activity.services import record
from aims.catalog.models import OWN_PREFIX, Framework, Requirement
from aims.compliance.services import compliance_items_for_own_framework
from aims.core.errors import Conflict, ValidationError
from aims.orgs.context import Ctx
from aims.oscal.ids import one_line
from aims.oscal.validation import parse_upload

PERM = "frameworks.manage"
MAX_CONTROLS = 5000  # NIST SP 800-53 with every enhancement has ~1,200
MAX_DEPTH = 6  # groups within groups, controls within controls
MAX_ID = 40
MAX_TITLE = 300
MAX_LABEL = 40
MAX_PROBLEMS = 50


@dataclass
class Entry:
    """One group or control of the catalog, and what importing it does."""

    ref: str
    kind: str  # "group" or "control"
    title: str
    label: str = ""
    parent: str = ""
    text: str = ""
    action: str = "new"  # new, changed, unchanged, restored

    @property
    def is_control(self) -> bool:
        return self.kind == "control"


@dataclass
class CatalogReport:
    """The outcome of reading a catalog (and its profile) against the organisation."""

    title: str
    version: str
    code: str = ""
    updating: bool = False  # a newer version of a catalog the organisation has
    entries: list[Entry] = field(default_factory=list)
    retired: list[tuple[str, str]] = field(default_factory=list)  # (ref, title)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (ref or "", what)
    notes: list[str] = field(default_factory=list)
    skipped: int = 0  # controls the profile leaves out
    applied: bool = False

    @property
    def groups(self) -> list[Entry]:
        return [e for e in self.entries if not e.is_control]

    @property
    def controls(self) -> list[Entry]:
        return [e for e in self.entries if e.is_control]

    def count(self, action: str) -> int:
        return sum(1 for e in self.entries if e.action == action)

    # For templates, which cannot pass an argument.
    count_new = property(lambda self: self.count("new"))
    count_changed = property(lambda self: self.count("changed"))
    count_unchanged = property(lambda self: self.count("unchanged"))
    count_restored = property(lambda self: self.count("restored"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "version": self.version, "code": self.code,
            "updating": self.updating, "applied": self.applied,
            "groups": len(self.groups), "controls": len(self.controls),
            "new": self.count("new"), "changed": self.count("changed"),
            "unchanged": self.count("unchanged"), "restored": self.count("restored"),
            "retired": [ref for ref, _ in self.retired], "skipped": self.skipped,
            "notes": self.notes,
            "problems": [{"ref": ref, "problem": what} for ref, what in self.problems],
            "entries": [{"ref": e.ref, "kind": e.kind, "title": e.title, "label": e.label,
                         "parent": e.parent, "action": e.action} for e in self.entries],
        }


# --------------------------------------------------------------------------- reading


def _label(node: dict) -> str:
    return next((p["value"] for p in node.get("props", []) if p.get("name") == "label"
                 and "ns" not in p), "")


def _part_text(parts: list[dict], depth: int = 0) -> list[str]:
    """The prose of the parts (and their sub-parts) as paragraphs, each named by its part's
    title, or its name, when it starts a section."""
    out = []
    for part in parts:
        prose = (part.get("prose") or "").strip()
        head = part.get("title") or (part.get("name", "").replace("_", " ").replace("-", " ")
                                     .capitalize() if depth == 0 else "")
        lead = _label(part)
        if prose:
            out.append(" ".join(x for x in (f"{head}:" if head else "", lead, prose) if x))
        elif head:
            out.append(f"{head}:")
        out += _part_text(part.get("parts", []), depth + 1)
    return out


def _walk(nodes: list[dict], kind: str, parent: str, depth: int, out: list[Entry],
          problems: list[tuple[str, str]]) -> None:
    for node in nodes:
        ref = node.get("id", "")
        title = one_line(node.get("title", ""))
        label = one_line(_label(node))
        if depth > MAX_DEPTH:
            problems.append((ref, f"Nested {depth} levels deep; a catalog may nest groups and "
                                  f"controls at most {MAX_DEPTH} levels."))
            continue
        if len(ref) > MAX_ID:
            problems.append((ref[:MAX_ID] + "…", f"The id is {len(ref)} characters long; at "
                                                  f"most {MAX_ID} are kept."))
        if len(title) > MAX_TITLE:
            problems.append((ref, f"The title is {len(title)} characters long; at most "
                                  f"{MAX_TITLE}."))
        if len(label) > MAX_LABEL:
            problems.append((ref, f"The label is {len(label)} characters long; at most "
                                  f"{MAX_LABEL}."))
        parts = node.get("parts", [])
        if len(parts) == 1 and not parts[0].get("parts") and not parts[0].get("title"):
            text = (parts[0].get("prose") or "").strip()  # one block of text: no heading
        else:
            text = "\n\n".join(_part_text(parts))
        out.append(Entry(ref=ref, kind=kind, title=title, label=label, parent=parent,
                         text=text))
        _walk(node.get("groups", []), "group", ref, depth + 1, out, problems)
        _walk(node.get("controls", []), "control", ref, depth + 1, out, problems)


def _selection(profile: dict, entries: list[Entry]) -> tuple[set[str], list[tuple[str, str]]]:
    """The control ids a profile selects from the catalog's, and its problems by id."""
    controls = [e.ref for e in entries if e.is_control]
    known = set(controls)
    children: dict[str, list[str]] = {}
    for e in entries:
        if e.is_control and e.parent in known:
            children.setdefault(e.parent, []).append(e.ref)

    def named(selections: list[dict]) -> set[str]:
        found: set[str] = set()
        for sel in selections:
            if "matching" in sel:
                raise ValidationError({"profile": [
                    "The profile selects controls by pattern (matching); name each control by "
                    "id (with-ids) instead."]})
            for cid in sel.get("with-ids", []):
                found.add(cid)
                if sel.get("with-child-controls") == "yes":
                    stack = list(children.get(cid, []))
                    while stack:
                        kid = stack.pop()
                        found.add(kid)
                        stack += children.get(kid, [])
        return found

    if len(profile["imports"]) != 1:
        raise ValidationError({"profile": [
            f"The profile imports {len(profile['imports'])} sources; to select from one "
            "catalog it must import exactly one."]})
    imp = profile["imports"][0]
    included = set(controls) if "include-all" in imp else named(imp.get("include-controls", []))
    excluded = named(imp.get("exclude-controls", []))
    problems = [(cid, "The profile selects a control the catalog does not have.")
                for cid in sorted((included | excluded) - known)]
    return (included & known) - excluded, problems


def catalog_read(content: bytes, profile: bytes | None = None
                 ) -> tuple[dict, list[Entry], list[tuple[str, str]], int]:
    """(catalog, its groups and controls in document order, problems by id, controls the
    profile leaves out) of an uploaded catalog and optional profile; a field error for a file
    that is not one."""
    catalog = parse_upload(content, model="catalog")
    entries: list[Entry] = []
    problems: list[tuple[str, str]] = []
    _walk(catalog.get("groups", []), "group", "", 1, entries, problems)
    _walk(catalog.get("controls", []), "control", "", 1, entries, problems)
    seen: set[str] = set()
    for e in entries:
        if e.ref in seen:
            problems.append((e.ref, "The id is used more than once in the catalog; each group "
                                    "and control needs its own."))
        seen.add(e.ref)
    n = sum(1 for e in entries if e.is_control)
    if n == 0:
        raise ValidationError({"file": ["The catalog has no controls to bring in."]})
    if n > MAX_CONTROLS:
        raise ValidationError({"file": [
            f"The catalog has {n:,} controls; at most {MAX_CONTROLS:,} can be brought in."]})
    skipped = 0
    if profile is not None:
        selected, wrong = _selection(parse_upload(profile, model="profile", field="profile"),
                                     entries)
        problems += wrong
        keep = {e.ref for e in entries if not e.is_control or e.ref in selected}
        skipped = n - len(selected)
        # A selected control's parents stay (an enhancement keeps its control as its section);
        # groups left with nothing selected in them go.
        by_ref = {e.ref: e for e in entries}
        for ref in selected:
            parent = by_ref[ref].parent
            while parent and parent in by_ref:
                keep.add(parent)
                parent = by_ref[parent].parent
        entries = [e for e in entries if e.ref in keep]
        used = {e.parent for e in entries if e.is_control}
        while True:  # prune empty groups from the leaves up
            empty = {e.ref for e in entries if not e.is_control and e.ref not in used}
            if not empty:
                break
            entries = [e for e in entries if e.ref not in empty]
            used = {e.parent for e in entries}
        if not any(e.is_control for e in entries):
            problems.append(("", "The profile selects none of the catalog's controls."))
    return catalog, entries, problems, skipped


# --------------------------------------------------------------------------- writing


def _code(ctx: Ctx, title: str) -> str:
    base = (OWN_PREFIX + (slugify(title)[:30].strip("-") or "catalog"))
    taken = set(Framework.objects.filter(org=ctx.org, code__startswith=base)
                .values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def _framework(ctx: Ctx, catalog: dict, report: CatalogReport) -> Framework:
    meta = catalog["metadata"]
    title = one_line(meta["title"])
    found = (Framework.objects.select_for_update()
             .filter(org=ctx.org).filter(Q(title=title) | Q(source_uuid=catalog["uuid"]))
             .order_by("pk").first())
    values = {"name": title[:120], "title": title[:300], "version": one_line(meta["version"])[:80],
              "publisher": ctx.org.name[:120], "source_uuid": catalog["uuid"],
              "role": "requirements",
              "domains": [{"ref": g.get("id", ""), "title": one_line(g.get("title", ""))}
                          for g in catalog.get("groups", [])]}
    if found is None:
        try:
            with transaction.atomic():
                return Framework.objects.create(org=ctx.org, code=_code(ctx, title), **values)
        except IntegrityError:  # someone brought the same catalog in at the same moment
            raise Conflict("Another import of this catalog finished first: check the file "
                           "again to see what it would change now.") from None
    report.updating = True
    for k, v in values.items():
        setattr(found, k, v)
    found.save()
    return found


def _write(ctx: Ctx, fw: Framework, entries: list[Entry], report: CatalogReport) -> None:
    existing = {r.ref: r for r in Requirement.objects.filter(framework=fw)}
    by_ref: dict[str, Requirement] = {}
    for n, e in enumerate(entries, 1):
        values = {
            "kind": Requirement.Kind.OWN_CONTROL if e.is_control else Requirement.Kind.GROUP,
            "title": e.title, "label": e.label, "description": e.text,
            "parent": by_ref.get(e.parent), "sort_key": f"{n:06d}", "retired_in": "",
            "notes": f"From the OSCAL catalog “{fw.title}”, version {fw.version}.",
        }
        req = existing.get(e.ref)
        if req is None:
            req = Requirement.objects.create(framework=fw, ref=e.ref, **values)
            e.action = "new"
        else:
            compare = {k: v for k, v in values.items() if k not in ("notes", "sort_key")}
            if req.retired_in:
                e.action = "restored"
            elif any(getattr(req, k) != v for k, v in compare.items()):
                e.action = "changed"
            else:
                e.action = "unchanged"
            for k, v in values.items():
                setattr(req, k, v)
            req.save()
        by_ref[e.ref] = req
    gone = [r for ref, r in existing.items() if ref not in by_ref]
    for r in sorted(gone, key=lambda r: r.sort_key):
        if not r.retired_in:
            report.retired.append((r.ref, r.title))
            r.retired_in = fw.version or "a later version"
            r.parent = None if r.parent and r.parent.ref not in by_ref else r.parent
            r.save()
    compliance_items_for_own_framework(ctx=ctx, framework_id=fw.pk)


@transaction.atomic
def catalog_import(*, ctx: Ctx, content: bytes, profile: bytes | None = None,
                   dry_run: bool) -> CatalogReport:
    """Bring an OSCAL catalog (and the controls an optional profile selects from it) into
    ctx.org as a framework of its own, all or nothing; a newer version of a catalog already
    brought in updates it. With `dry_run`, the report says what would be created, changed and
    retired, and nothing is kept."""
    ctx.require(PERM)
    catalog, entries, problems, skipped = catalog_read(content, profile)
    meta = catalog["metadata"]
    report = CatalogReport(title=one_line(meta["title"]), version=one_line(meta["version"]),
                           entries=entries, problems=problems[:MAX_PROBLEMS], skipped=skipped)
    if len(problems) > MAX_PROBLEMS:
        report.notes.append(f"{len(problems) - MAX_PROBLEMS} more problems not listed.")
    if skipped:
        report.notes.append(f"The profile leaves out {skipped} of the catalog's controls.")
    if problems:
        if not dry_run:
            raise ValidationError({"file": [
                "Nothing was imported: " + "; ".join(
                    f"{ref}: {what}" if ref else what for ref, what in problems[:20])]})
        return report
    fw = _framework(ctx, catalog, report)
    report.code = fw.code
    _write(ctx, fw, entries, report)
    if dry_run:
        transaction.set_rollback(True)
        return report
    record(ctx=ctx, action="oscal_catalog_import", obj=ctx.org, changes={
        "framework": fw.code, "title": report.title, "version": report.version,
        "groups": len(report.groups), "controls": len(report.controls),
        "new": report.count("new"), "changed": report.count("changed"),
        "restored": report.count("restored"), "retired": [ref for ref, _ in report.retired]})
    report.applied = True
    return report
