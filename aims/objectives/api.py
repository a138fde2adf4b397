import uuid
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.core.paging import BoundedPagination
from aims.objectives import selectors, services
from aims.objectives.charts import trend_svg
from aims.objectives.schemas import (
    MeasurementIn,
    MeasurementOut,
    MonitorIn,
    MonitorOut,
    MonitorPatch,
    MonitorResultIn,
    MonitorResultOut,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
)
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


class ObjectiveQuery(Schema):
    q: str = ""
    policy_topic: str = ""
    owner: uuid.UUID | None = None
    status: str = ""
    track: Literal["", "on_track", "off_track", "no_data", "overdue"] = ""
    ai_system: uuid.UUID | None = None


@router.get("/{slug}/objectives", response=list[ObjectiveOut])
@paginate(BoundedPagination)
def objective_list(request: OrgRequest, slug: str, query: Query[ObjectiveQuery]):
    """AI objectives with their latest measurement and track status."""
    ctx = request.ctx
    q = query.dict()
    filters = selectors.ObjectiveFilters(**{k: str(v) if v is not None else "" for k, v in q.items()})
    return selectors.objective_list(ctx=ctx, filters=filters, recent=False)


@router.post("/{slug}/objectives", response={201: ObjectiveOut}, perm="objectives.change")
def objective_create(request: OrgRequest, slug: str, payload: ObjectiveIn):
    ctx = request.ctx
    objective = services.objective_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.objective_get(ctx=ctx, objective_id=objective.pk))


@router.get("/{slug}/objectives/{objective_id}", response=ObjectiveOut)
def objective_get(request: OrgRequest, slug: str, objective_id: uuid.UUID):
    return selectors.objective_get(ctx=request.ctx, objective_id=objective_id)


@router.patch("/{slug}/objectives/{objective_id}", response=ObjectiveOut,
              perm="objectives.change")
def objective_update(request: OrgRequest, slug: str, objective_id: uuid.UUID,
                     payload: ObjectivePatch):
    ctx = request.ctx
    services.objective_update(ctx=ctx, objective_id=objective_id, **payload.changes())
    return selectors.objective_get(ctx=ctx, objective_id=objective_id)


@router.delete("/{slug}/objectives/{objective_id}", perm="objectives.change")
def objective_delete(request: OrgRequest, slug: str, objective_id: uuid.UUID, version: int):
    """Delete an objective and its measurements; their last values stay in the activity log."""
    services.objective_delete(ctx=request.ctx, objective_id=objective_id, version=version)
    return Status(204, None)


@router.get("/{slug}/objectives/{objective_id}/measurements", response=list[MeasurementOut])
@paginate(BoundedPagination)
def measurement_list(request: OrgRequest, slug: str, objective_id: uuid.UUID):
    """The objective's measurements, oldest first."""
    ctx = request.ctx
    objective = selectors.objective_get(ctx=ctx, objective_id=objective_id)
    return selectors.measurement_list(ctx=ctx, objective=objective)


@router.post("/{slug}/objectives/{objective_id}/measurements", response={201: MeasurementOut},
             perm="objectives.change")
def measurement_create(request: OrgRequest, slug: str, objective_id: uuid.UUID,
                       payload: MeasurementIn):
    """Record a measurement. Measurements are not edited: to correct one, delete it and
    record the right value."""
    ctx = request.ctx
    measurement = services.measurement_create(ctx=ctx, objective_id=objective_id,
                                              data=payload.dict())
    return Status(201, measurement)


@router.delete("/{slug}/objectives/{objective_id}/measurements/{measurement_id}",
               perm="objectives.change")
def measurement_delete(request: OrgRequest, slug: str, objective_id: uuid.UUID,
                       measurement_id: uuid.UUID, version: int):
    services.measurement_delete(ctx=request.ctx, objective_id=objective_id,
                                measurement_id=measurement_id, version=version)
    return Status(204, None)


@router.get("/{slug}/objectives/{objective_id}/chart.svg", response={200: None},
            url_name="objective_chart")
def objective_chart(request: OrgRequest, slug: str, objective_id: uuid.UUID):
    """The trend chart as SVG: measurements over time against the target line."""
    ctx = request.ctx
    objective = selectors.objective_get(ctx=ctx, objective_id=objective_id)
    svg = trend_svg(objective=objective,
                    measurements=list(selectors.measurement_list(ctx=ctx, objective=objective)),
                    standalone=True)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # Opened on its own, the image may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------ monitoring (9.1)


class MonitorQuery(Schema):
    q: str = ""
    indicator: str = ""
    ai_system: uuid.UUID | None = None
    owner: uuid.UUID | None = None
    state: Literal["", "breached", "overdue", "inactive", "all"] = ""


@router.get("/{slug}/monitors", response=list[MonitorOut])
@paginate(BoundedPagination)
def monitor_list(request: OrgRequest, slug: str, query: Query[MonitorQuery]):
    """What the organisation monitors (active ones unless state says otherwise), each with its
    latest result and whether one is overdue."""
    q = {k: str(v) if v is not None else "" for k, v in query.dict().items()}
    return selectors.monitor_list(ctx=request.ctx, filters=selectors.MonitorFilters(**q))


@router.post("/{slug}/monitors", response={201: MonitorOut}, perm="monitoring.change")
def monitor_create(request: OrgRequest, slug: str, payload: MonitorIn):
    ctx = request.ctx
    monitor = services.monitor_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.monitor_get(ctx=ctx, monitor_id=monitor.pk))


@router.get("/{slug}/monitors/{monitor_id}", response=MonitorOut)
def monitor_get(request: OrgRequest, slug: str, monitor_id: uuid.UUID):
    return selectors.monitor_get(ctx=request.ctx, monitor_id=monitor_id)


@router.patch("/{slug}/monitors/{monitor_id}", response=MonitorOut, perm="monitoring.change")
def monitor_update(request: OrgRequest, slug: str, monitor_id: uuid.UUID,
                   payload: MonitorPatch):
    ctx = request.ctx
    services.monitor_update(ctx=ctx, monitor_id=monitor_id, **payload.changes())
    return selectors.monitor_get(ctx=ctx, monitor_id=monitor_id)


@router.delete("/{slug}/monitors/{monitor_id}", perm="monitoring.change")
def monitor_delete(request: OrgRequest, slug: str, monitor_id: uuid.UUID, version: int):
    """Delete a monitor without results (one with results is made inactive instead)."""
    services.monitor_delete(ctx=request.ctx, monitor_id=monitor_id, version=version)
    return Status(204, None)


@router.get("/{slug}/monitors/{monitor_id}/results", response=list[MonitorResultOut])
@paginate(BoundedPagination)
def monitor_result_list(request: OrgRequest, slug: str, monitor_id: uuid.UUID):
    """The monitor's results, newest first."""
    ctx = request.ctx
    monitor = selectors.monitor_get(ctx=ctx, monitor_id=monitor_id)
    return selectors.monitor_result_list(ctx=ctx, monitor=monitor)


@router.post("/{slug}/monitors/{monitor_id}/results", response={201: MonitorResultOut},
             perm="monitoring.change")
def monitor_result_record(request: OrgRequest, slug: str, monitor_id: uuid.UUID,
                          payload: MonitorResultIn):
    """Record a result; `breached` says whether it is outside the monitor's thresholds."""
    result = services.monitor_result_record(ctx=request.ctx, monitor_id=monitor_id,
                                            data=payload.dict())
    return Status(201, result)


@router.delete("/{slug}/monitors/{monitor_id}/results/{result_id}", perm="monitoring.change")
def monitor_result_delete(request: OrgRequest, slug: str, monitor_id: uuid.UUID,
                          result_id: uuid.UUID, version: int):
    services.monitor_result_delete(ctx=request.ctx, monitor_id=monitor_id, result_id=result_id,
                                   version=version)
    return Status(204, None)
