"""The one NinjaAPI: auth, error mapping, and a router per app."""


from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from aims.accounts.api import router as accounts
from aims.activity.api import router as activity
from aims.aiact.api import router as aiact
from aims.audits.api import router as audits
from aims.catalog.api import router as catalog
from aims.compliance.api import router as compliance
from aims.context.api import router as context
from aims.core.api import ApiRateThrottle
from aims.core.errors import Conflict, DomainError, ValidationError
from aims.documents.api import router as documents
from aims.evidence.api import router as evidence
from aims.exchange.api import router as exchange
from aims.exchange.imports.api import router as imports
from aims.findings.api import router as findings
from aims.frameworks.api import router as frameworks
from aims.impact.api import router as impact
from aims.improvement.api import router as improvement
from aims.integrations.api import router as integrations
from aims.inventory.api import router as inventory
from aims.jobs.api import router as jobs
from aims.members.api import me_router as my_invitations
from aims.members.api import members_router
from aims.members.api import router as orgs
from aims.objectives.api import router as objectives
from aims.orgs.api import BearerToken, SessionAuth
from aims.oscal.api import router as oscal
from aims.people.api import router as people
from aims.readiness.api import router as readiness
from aims.reviews.api import router as reviews
from aims.risks.api import router as risks
from aims.suppliers.api import router as suppliers
from aims.tasks.api import router as tasks
from aims.techfile.api import router as techfile


class ObjectBodyParser(Parser):
    """JSON bodies must be objects. Ninja's schemas read attributes, so a bare string such as
    "hello" would otherwise pass as an object whose `title` is `str.title`."""

    def parse_body(self, request: HttpRequest):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValidationError({"body": ["Send a JSON object with the fields by name."]})
        return data


class AimsAPI(NinjaAPI):
    """The API whose OpenAPI document is built once per prefix: it describes routers fixed at
    start-up, and building it for 240 operations takes longer than any request should."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._documents:
            self._documents[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return self._documents[path_prefix]

    @cached_property
    def _documents(self) -> dict[str, OpenAPISchema]:
        return {}


api = AimsAPI(
    parser=ObjectBodyParser(),
    title="aims API",
    version="1",
    description="The ISO/IEC 42001 AIMS record: organisations, catalog, AI systems, scope and "
                "context, Statement of Applicability, activity log. Authenticate with "
                "`Authorization: Bearer <token>` (create tokens under Account → API tokens or "
                "with `aims token create`) or with a signed-in session plus CSRF token.",
    auth=[BearerToken(), SessionAuth()],
    throttle=[ApiRateThrottle()],
    urls_namespace="api",
)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled):
    # Ninja adds the Retry-After header; the body says the same for people.
    wait = f" Try again in {int(exc.wait) + 1} s." if exc.wait is not None else ""
    return api.create_response(request, {
        "detail": f"Too many requests: the limit is {settings.AIMS_API_RATE} per API token "
                  f"(per address without one; the AIMS_API_RATE setting).{wait}"}, status=429)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    body: dict = {"detail": exc.message}
    if isinstance(exc, ValidationError):
        body["errors"] = exc.errors
    if isinstance(exc, Conflict):
        body["current"] = exc.current
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(DataError)
def data_error(request: HttpRequest, exc: DataError):
    # A value the database cannot hold (PostgreSQL refuses NUL characters, integers have a
    # range): bad input, not a server fault. Services run in transactions, so nothing was saved.
    return api.create_response(
        request, {"detail": "The request holds a value that cannot be stored or looked up "
                            "(for example a NUL character or an out-of-range number)."},
        status=422)


api.add_router("/me", accounts, tags=["account"])
api.add_router("/me", my_invitations, tags=["account"])
api.add_router("/catalog", catalog, tags=["catalog"])
api.add_router("/orgs", orgs, tags=["organisations"])
api.add_router("/orgs", members_router, tags=["organisations"])
api.add_router("/orgs", inventory, tags=["AI systems"])
api.add_router("/orgs", compliance, tags=["Statement of Applicability"])
api.add_router("/orgs", context, tags=["scope and context"])
api.add_router("/orgs", risks, tags=["risks"])
api.add_router("/orgs", impact, tags=["impact assessments"])
api.add_router("/orgs", objectives, tags=["objectives"])
api.add_router("/orgs", documents, tags=["documents"])
# Before evidence: its /evidence/{evidence_id} would otherwise take /evidence/push.
api.add_router("/orgs", integrations, tags=["integrations: tokens and pushed evidence"])
api.add_router("/orgs", evidence, tags=["evidence"])
api.add_router("/orgs", tasks, tags=["tasks"])
api.add_router("/orgs", people, tags=["people"])
api.add_router("/orgs", suppliers, tags=["suppliers"])
api.add_router("/orgs", audits, tags=["audits"])
api.add_router("/orgs", reviews, tags=["management reviews"])
api.add_router("/orgs", improvement, tags=["improvement"])
api.add_router("/orgs", findings, tags=["security findings"])
api.add_router("/orgs", frameworks, tags=["frameworks and coverage"])
api.add_router("/orgs", aiact, tags=["EU AI Act classification and obligations"])
api.add_router("/orgs", activity, tags=["activity log"])
api.add_router("/orgs", readiness, tags=["readiness"])
api.add_router("/orgs", oscal, tags=["OSCAL exchange"])
api.add_router("/orgs", exchange, tags=["audit pack"])
api.add_router("/orgs", imports, tags=["imports"])
api.add_router("/orgs", techfile, tags=["EU AI Act documents"])
api.add_router("/orgs", jobs, tags=["background jobs"])

