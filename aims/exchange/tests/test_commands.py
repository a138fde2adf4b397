import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from aims.exchange.verify import pack_verify


def test_export_audit_pack_writes_a_verifiable_zip(org, record, tmp_path, capsys):
    out = tmp_path / "pack.zip"
    call_command("export", "audit-pack", "--org", org.slug, "--from", "2026-01-01",
                 "--to", "2026-06-30", "-o", str(out))
    assert "Wrote" in capsys.readouterr().err
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    assert manifest["made_by"] == "cli"
    assert pack_verify(out).ok
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("args,message", [
    (["--from", "2026-06-30", "--to", "2026-01-01"], "before it starts"),
    (["--from", "1990-01-01", "--to", "2026-01-01"], "at most five years"),
])
def test_export_audit_pack_refuses_a_bad_period(org, tmp_path, args, message):
    out = tmp_path / "pack.zip"
    with pytest.raises(CommandError, match=message):
        call_command("export", "audit-pack", "--org", org.slug, *args, "-o", str(out))
    assert not list(tmp_path.iterdir())  # no pack, no half-written file


def test_export_audit_pack_refuses_an_unknown_org_and_a_bad_date(db, org, tmp_path):
    with pytest.raises(CommandError):
        call_command("export", "audit-pack", "--org", "nope", "-o", str(tmp_path / "p.zip"))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export", "audit-pack", "--org", org.slug, "--from", "March",
                     "-o", str(tmp_path / "p.zip"))
    assert not list(tmp_path.iterdir())
