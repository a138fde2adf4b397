"""Objective and monitoring records others may link to (see aims.records.kinds)."""

from django.urls import reverse

from aims.records.kinds import RecordKind


def _result_url(result, slug: str) -> str:
    return reverse("objectives:monitor_detail",
                   kwargs={"slug": slug, "monitor_id": result.monitor_id}) + f"#result-{result.pk}"


KINDS = [
    RecordKind(key="objective", model="objectives.Objective", label="Objective",
               url=lambda o, slug: reverse("objectives:detail",
                                           kwargs={"slug": slug, "objective_id": o.pk})),
    RecordKind(key="monitor", model="objectives.Monitor", label="Monitor",
               url=lambda o, slug: reverse("objectives:monitor_detail",
                                           kwargs={"slug": slug, "monitor_id": o.pk})),
    RecordKind(key="monitor_result", model="objectives.MonitorResult", label="Monitoring result",
               select_related=("monitor",), url=_result_url),
]
