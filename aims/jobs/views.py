"""The web pages of background jobs: the list, one job's progress and its file."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aims.core.paging import paginate
from aims.core.responses import stream_response
from aims.jobs.models import JobStatus
from aims.jobs.selectors import job_get, job_list
from aims.jobs.services import job_start
from aims.orgs.decorators import org_view


@org_view
def job_list_view(request):
    ctx = request.ctx
    status = request.GET.get("status", "")
    if status not in JobStatus.values:
        status = ""
    paged = paginate(request, job_list(ctx=ctx, status=status))
    return render(request, "jobs/list.html", {"status": status, "statuses": JobStatus.choices,
                                              **paged})


@org_view
@require_POST
def job_start_view(request):
    """Start the job of kind `kind`; every other field of the form is a parameter."""
    params = {k: v for k, v in request.POST.items() if k not in ("kind", "csrfmiddlewaretoken")}
    job = job_start(ctx=request.ctx, kind=request.POST.get("kind", ""), params=params)
    return redirect("jobs:detail", slug=request.ctx.org.slug, job_id=job.pk)


@org_view
def job_detail_view(request, job_id):
    job = job_get(ctx=request.ctx, job_id=job_id)
    template = "jobs/_status.html" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job})


@org_view
def job_file_view(request, job_id):
    job = job_get(ctx=request.ctx, job_id=job_id)
    if job.status != JobStatus.DONE or not job.result_path:
        raise Http404("This job has no file (yet).")
    return stream_response(default_storage.open(job.result_path, "rb"), job.result_type,
                           job.result_name)
