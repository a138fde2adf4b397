"""`aims findings import`: the same import from the command line, refusing a bad file."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from aims.findings.models import Finding


def test_import_from_a_file_and_refuse_a_bad_one(org, system, tmp_path, capsys, llm_scan):
    good = tmp_path / "scan.sarif"
    good.write_bytes(llm_scan)
    call_command("findings", "import", "--org", org.slug, "--system", str(system.pk), str(good))
    out = capsys.readouterr().out
    assert "SC-001" in out and "4 new, 0 reopened, 0 marked fixed" in out
    assert Finding.objects.for_org(org).count() == 4
    bad = tmp_path / "bad.sarif"
    bad.write_text('{"version": "2.0.0", "runs": []}')
    with pytest.raises(CommandError, match=r"Only SARIF 2\.1\.0"):
        call_command("findings", "import", "--org", org.slug, "--system", str(system.pk),
                     str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("findings", "import", "--org", org.slug, "--system", str(system.pk),
                     str(tmp_path / "missing.sarif"))
    with pytest.raises(CommandError, match="AI system not found"):
        call_command("findings", "import", "--org", org.slug, "--system", "nope", str(good))
    assert Finding.objects.for_org(org).count() == 4
