from django.http import HttpRequest

from aims.catalog import selectors
from aims.catalog.models import Requirement
from aims.catalog.schemas import FrameworkOut, RequirementWithMappingsOut
from aims.core.api import AimsRouter

router = AimsRouter()


def _mapping(req: Requirement, m) -> dict:
    """A crosswalk row seen from `req`: the other end first."""
    other = m.target if m.source_id == req.pk else m.source
    return {
        "framework": m.framework.code if m.source_id == req.pk else selectors.ISO42001,
        "ref": other.ref if other else None, "title": other.title if other else None,
        "iso42001_ref": m.source.ref if m.source_id else None,
        "target_framework": m.framework.code,
        "target_ref": m.target.ref if m.target_id else None,
        "relationship": m.relationship, "coverage": m.coverage, "confidence": m.confidence,
        "provenance": m.provenance, "corroborated_by": m.corroborated_by,
        "ref_as_published": m.ref_as_published, "notes": m.notes,
    }


def _with_mappings(req: Requirement) -> Requirement:
    req.mappings = [_mapping(req, m) for m in selectors.mappings_of(req)]
    return req


@router.get("/frameworks", response=list[FrameworkOut])
def framework_list(request: HttpRequest):
    """Every framework aims knows, with how many requirements and crosswalk rows it has."""
    return list(selectors.framework_list())


@router.get("/frameworks/{framework}", response=FrameworkOut)
def framework_get(request: HttpRequest, framework: str):
    return selectors.framework_get(code=framework)


@router.get("/frameworks/{framework}/requirements", response=list[RequirementWithMappingsOut])
def requirement_list(request: HttpRequest, framework: str, kind: str = "", q: str = "",
                     domain: str = ""):
    """The framework's requirements in document order, each with its crosswalk rows both ways."""
    fw = selectors.framework_get(code=framework)
    return [_with_mappings(r) for r in selectors.requirement_list(
        framework=fw, kind=kind, q=q, domain=domain, with_mappings=True)]


@router.get("/frameworks/{framework}/requirements/{ref}", response=RequirementWithMappingsOut)
def requirement_get(request: HttpRequest, framework: str, ref: str):
    fw = selectors.framework_get(code=framework)
    return _with_mappings(selectors.requirement_get(framework=fw, ref=ref))
