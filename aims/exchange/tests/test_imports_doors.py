"""The import's doors: the API (upload, dry run, 422 rows, digest), the CLI and the web's
preview → confirm, and large files handed to a worker."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from aims.compliance.selectors import soa_item_get
from aims.context.models import InterestedParty
from aims.exchange.models import ImportRun, ImportState
from aims.jobs.models import Job
from aims.jobs.services import job_run
from aims.testing.queries import budget

API = "/api/v1"
PARTIES = b"Name,Needs and expectations,Active\nRegulator,Annual AI report,Yes\n"


def _upload(data: bytes, name: str = "parties.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_api_dry_run_then_import_with_the_digest(api, org):
    url = f"{API}/orgs/{org.slug}/imports/parties"
    dry = api.client.post(url, {"file": _upload(PARTIES), "dry_run": "true"}, **api.headers)
    assert dry.status_code == 200, dry.content
    body = dry.json()
    assert (body["created"], body["written"]) == (1, False)
    assert not InterestedParty.objects.for_org(org).exists()
    done = api.client.post(url, {"file": _upload(PARTIES), "digest": body["digest"]},
                           **api.headers)
    assert done.status_code == 200 and done.json()["written"]
    assert InterestedParty.objects.for_org(org).get().name == "Regulator"
    # Again with the old digest: the diff is no longer the one previewed.
    again = api.client.post(url, {"file": _upload(PARTIES), "digest": body["digest"]},
                            **api.headers)
    assert again.status_code == 409


def test_api_refused_rows_are_a_422_naming_row_and_column(api, org):
    data = b"Name,Needs and expectations,Active\nRegulator,Reports,Perhaps\n"
    response = api.client.post(f"{API}/orgs/{org.slug}/imports/parties",
                               {"file": _upload(data)}, **api.headers)
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"row": 2, "column": "Active", "message": "“Perhaps” is not Yes or No."}]
    assert not InterestedParty.objects.for_org(org).exists()


def test_api_checks_access_before_the_body(api_client_for, members, org, other_org):
    viewer = api_client_for(members["viewer"])
    response = viewer.client.post(f"{API}/orgs/{org.slug}/imports/parties", {},
                                  **viewer.headers)
    assert response.status_code == 403
    response = viewer.client.post(f"{API}/orgs/{other_org.slug}/imports/parties", {},
                                  **viewer.headers)
    assert response.status_code == 404


def test_cli_dry_run_and_import(org, tmp_path, capsys, members):
    path = tmp_path / "parties.csv"
    path.write_bytes(PARTIES)
    call_command("import", "parties", str(path), "--org", org.slug, "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run, nothing written" in out and "new Interested party" in out
    assert not InterestedParty.objects.for_org(org).exists()
    call_command("import", "parties", str(path), "--org", org.slug, "--as",
                 members["editor"].email)
    assert InterestedParty.objects.for_org(org).count() == 1
    run = ImportRun.objects.for_org(org).get()
    assert run.created_by == members["editor"]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Name,Needs and expectations\n,nobody\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", "parties", str(bad), "--org", org.slug)
    assert "row 2" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import", "parties", str(path), "--org", org.slug, "--as",
                     members["viewer"].email)


def test_web_preview_confirm_and_result(web_client_for, members, org):
    client = web_client_for(members["editor"])
    index = f"/o/{org.slug}/imports/"
    assert client.get(index).status_code == 200
    response = client.post(index, {"kind": "soa", "file": _upload(
        b"Control,Applicable,Reason for inclusion,Justification\n"
        b"A.5.2,Yes,Legal or regulatory,Required by our customers' contracts\n", "soa.csv")})
    assert response.status_code == 302, response.content[:500]
    run = ImportRun.objects.for_org(org).get()
    assert run.state == ImportState.PREVIEWED and run.changed_count == 1
    page = client.get(response["Location"]).content.decode()
    assert "Confirm the import" in page and "Legal or regulatory" in page
    assert soa_item_get(ctx=_ctx(org, members), ref="A.5.2").applicable is None
    # Someone else cannot confirm the uploader's preview.
    other = web_client_for(members["admin"])
    other.post(f"/o/{org.slug}/imports/{run.pk}/confirm/")
    run.refresh_from_db()
    assert run.state == ImportState.PREVIEWED
    client.post(f"/o/{org.slug}/imports/{run.pk}/confirm/")
    run.refresh_from_db()
    assert run.state == ImportState.IMPORTED and run.content == b""
    assert soa_item_get(ctx=_ctx(org, members), ref="A.5.2").applicable is True
    assert "Imported" in client.get(f"/o/{org.slug}/imports/{run.pk}/").content.decode()


def _ctx(org, members):
    from aims.testing.factories import ctx_for

    return ctx_for(org, members["editor"])


def test_web_refuses_a_viewer_and_shows_refused_rows(web_client_for, members, org):
    viewer = web_client_for(members["viewer"])
    response = viewer.post(f"/o/{org.slug}/imports/", {"kind": "parties",
                                                       "file": _upload(PARTIES)})
    assert response.status_code in (403, 422)
    assert not ImportRun.objects.for_org(org).exists()
    editor = web_client_for(members["editor"])
    response = editor.post(f"/o/{org.slug}/imports/", {"kind": "parties", "file": _upload(
        "Name,Needs and expectations\nCaf\xe9,x\n".encode("latin-1"))})
    run = ImportRun.objects.for_org(org).get()
    assert run.state == ImportState.REFUSED and run.content == b""
    page = editor.get(response["Location"]).content.decode()
    assert "not UTF-8" in page and not InterestedParty.objects.for_org(org).exists()


def test_a_large_file_is_checked_and_imported_by_a_worker(web_client_for, members, org,
                                                         settings):
    settings.AIMS_IMPORT_BACKGROUND_ROWS = 3
    rows = "".join(f"Party {i},Needs {i}\n" for i in range(5))
    client = web_client_for(members["editor"])
    response = client.post(f"/o/{org.slug}/imports/", {"kind": "parties", "file": _upload(
        f"Name,Needs and expectations\n{rows}".encode())})
    run = ImportRun.objects.for_org(org).get()
    assert run.state == ImportState.CHECKING and run.job_id
    assert "Progress" in client.get(response["Location"]).content.decode()
    job_run(job_id=str(run.job_id), worker="test")
    run.refresh_from_db()
    assert run.state == ImportState.PREVIEWED and run.created_count == 5
    assert not InterestedParty.objects.for_org(org).exists()
    client.post(f"/o/{org.slug}/imports/{run.pk}/confirm/")
    run.refresh_from_db()
    assert run.state == ImportState.IMPORTING
    job = Job.objects.for_org(org).get(pk=run.job_id)
    job_run(job_id=str(job.pk), worker="test")
    run.refresh_from_db()
    assert run.state == ImportState.IMPORTED, run.error
    assert InterestedParty.objects.for_org(org).count() == 5


@pytest.mark.parametrize("rows", [5, 60])
def test_the_preview_page_costs_bounded_queries(web_client_for, members, org,
                                                django_assert_max_num_queries, rows):
    client = web_client_for(members["editor"])
    data = "Name,Needs and expectations\n" + "".join(f"P{i},n{i}\n" for i in range(rows))
    response = client.post(f"/o/{org.slug}/imports/", {"kind": "parties",
                                                       "file": _upload(data.encode())})
    url = response["Location"]
    with django_assert_max_num_queries(budget(url, 12)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(budget(url, 12)):
        assert client.get(f"/o/{org.slug}/imports/").status_code == 200


def test_the_list_of_imports_names_each_register(web_client_for, members, org):
    """The latest imports say which register each went to by its name, not by its key."""
    import re

    client = web_client_for(members["editor"])
    client.post(f"/o/{org.slug}/imports/", {"kind": "parties", "file": _upload(
        b"Name,Category\nRegulator,Authority\n", "parties.csv")})
    page = client.get(f"/o/{org.slug}/imports/").content.decode()
    row = re.search(r"parties\.csv</a></td>\s*<td>([^<]*)</td>", page)
    assert row and row.group(1) == "Interested parties", row and row.group(1)
