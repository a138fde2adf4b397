from django.http import HttpRequest

from aims.catalog import selectors
from aims.catalog.schemas import FrameworkOut, RequirementOut
from aims.core.api import AimsRouter

router = AimsRouter()


@router.get("/frameworks", response=list[FrameworkOut])
def framework_list(request: HttpRequest):
    return list(selectors.framework_list())


@router.get("/frameworks/{code}", response=FrameworkOut)
def framework_get(request: HttpRequest, code: str):
    return selectors.framework_get(code=code)


@router.get("/frameworks/{code}/requirements", response=list[RequirementOut])
def requirement_list(request: HttpRequest, code: str, kind: str = "", q: str = "",
                     domain: str = ""):
    fw = selectors.framework_get(code=code)
    return list(selectors.requirement_list(framework=fw, kind=kind, q=q, domain=domain))


@router.get("/frameworks/{code}/requirements/{ref}", response=RequirementOut)
def requirement_get(request: HttpRequest, code: str, ref: str):
    return selectors.requirement_get(framework=selectors.framework_get(code=code), ref=ref)
