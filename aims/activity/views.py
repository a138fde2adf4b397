from __future__ import annotations

from django.shortcuts import render

from aims.activity.exports import activity_export_csv
from aims.activity.forms import EventFilterForm
from aims.activity.selectors import (
    EventFilters,
    event_change_lines,
    event_list,
    event_object_types,
    object_type_label,
)
from aims.activity.services import log_verify
from aims.core.paging import paginate
from aims.core.responses import file_response
from aims.orgs.decorators import org_view


def _filters(form: EventFilterForm) -> EventFilters:
    if not form.is_valid():
        return EventFilters()
    d = form.cleaned_data
    return EventFilters(q=d["q"], action=d["action"], object_type=d["object_type"],
                        object_id=d["object_id"], since=d["since"], until=d["until"])


@org_view
def event_list_view(request):
    ctx = request.ctx
    form = EventFilterForm(request.GET or None, object_types=event_object_types(ctx=ctx))
    filters = _filters(form)
    if request.GET.get("format") == "csv":
        return file_response(*activity_export_csv(ctx=ctx, filters=filters))
    qs = event_list(ctx=ctx, filters=filters).select_related(None)
    verify = log_verify(org=ctx.org) if request.GET.get("verify") else None
    paged = paginate(request, qs)
    lines = event_change_lines(paged["page"].object_list)
    return render(request, "activity/list.html", {
        "filter_form": form, "verify": verify,
        "filtered": filters != EventFilters(),
        # The filters a background export of this view takes (see the "activity.csv" job).
        "export_filters": {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                           for k, v in vars(filters).items() if k != "actor" and v},
        "rows": [(e, lines[e.pk], object_type_label(e.object_type))
                 for e in paged["page"].object_list], **paged,
    })
