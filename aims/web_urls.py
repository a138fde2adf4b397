"""The web UI's URL map: account pages, then everything inside an organisation under /o/<slug>/."""

from django.urls import include, path

from aims.members import views as member_views
from aims.ops import health
from aims.techfile import views as techfile_views

urlpatterns = [
    path("", member_views.home, name="home"),
    # For load balancers and Prometheus, outside any organisation (aims.ops.health).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("account/", include("aims.accounts.urls")),
    path("account/", include("aims.accounts.allauth_urls")),
    path("new-organisation/", member_views.org_new, name="org_new"),
    path("invitations/", include("aims.members.invitation_urls")),
    path("notice/<str:token>/", techfile_views.notice_public, name="notice_public"),
    path("o/<slug:slug>/", include("aims.dashboard.urls")),
    path("o/<slug:slug>/readiness/", include("aims.readiness.urls")),
    path("o/<slug:slug>/members/", include("aims.members.urls")),
    path("o/<slug:slug>/catalog/", include("aims.catalog.urls")),
    path("o/<slug:slug>/ai-systems/", include("aims.inventory.urls")),
    path("o/<slug:slug>/eu-ai-act/", include("aims.techfile.urls")),
    path("o/<slug:slug>/soa/", include("aims.compliance.urls")),
    path("o/<slug:slug>/frameworks/", include("aims.frameworks.urls")),
    path("o/<slug:slug>/eu-ai-act/", include("aims.aiact.urls")),
    path("o/<slug:slug>/context/", include("aims.context.urls")),
    path("o/<slug:slug>/risks/", include("aims.risks.urls")),
    path("o/<slug:slug>/impact-assessments/", include("aims.impact.urls")),
    path("o/<slug:slug>/objectives/", include("aims.objectives.urls")),
    path("o/<slug:slug>/documents/", include("aims.documents.urls")),
    path("o/<slug:slug>/evidence/", include("aims.evidence.urls")),
    path("o/<slug:slug>/integrations/", include("aims.integrations.urls")),
    path("o/<slug:slug>/tasks/", include("aims.tasks.urls")),
    path("o/<slug:slug>/people/", include("aims.people.urls")),
    path("o/<slug:slug>/suppliers/", include("aims.suppliers.urls")),
    path("o/<slug:slug>/audits/", include("aims.audits.urls")),
    path("o/<slug:slug>/management-reviews/", include("aims.reviews.urls")),
    path("o/<slug:slug>/improvement/", include("aims.improvement.urls")),
    path("o/<slug:slug>/security-findings/", include("aims.findings.urls")),
    path("o/<slug:slug>/activity/", include("aims.activity.urls")),
    path("o/<slug:slug>/oscal/", include("aims.oscal.urls")),
    path("o/<slug:slug>/audit-pack/", include("aims.exchange.urls")),
    path("o/<slug:slug>/imports/", include("aims.exchange.imports.urls")),
    path("o/<slug:slug>/jobs/", include("aims.jobs.urls")),
]
