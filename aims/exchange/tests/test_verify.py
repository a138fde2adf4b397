import hashlib
import json
import zipfile

import pytest
from django.core.management import call_command

from aims.exchange.pack import FORMAT, MANIFEST
from aims.exchange.verify import PackUnreadable, pack_verify

FILES = {
    "index.html": b"<!doctype html><title>Pack</title>" * 40,
    "evidence/EV-001-report.pdf": b"%PDF-1.7 quarterly report" * 100,
    "risks/ai-risk-register.xlsx": b"PK spreadsheet bytes" * 50,
}


@pytest.fixture
def pack(tmp_path):
    """A pack as audit_pack_write lays it out (checked against a real one in test_commands),
    made directly so each case here costs milliseconds."""
    path = tmp_path / "pack.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in FILES.items():
            zf.writestr(name, data)
        zf.writestr(MANIFEST, json.dumps({"format": FORMAT, "files": [
            {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
             "section": name.split("/")[0]} for name, data in FILES.items()]}))
    return path


def rewrite(src, dst, *, drop=(), replace=None, add=None):
    """Copy the pack's members into a new ZIP, leaving out, replacing or adding some."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def run(path, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("verify_pack", str(path))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def evidence_path(path) -> str:
    return "evidence/EV-001-report.pdf"


def test_an_untouched_pack_verifies(pack, capsys):
    check = pack_verify(pack)
    assert check.ok and check.checked == 3
    call_command("verify_pack", str(pack))
    assert "OK: all" in capsys.readouterr().out


def test_a_changed_file_is_named(pack, tmp_path, capsys):
    target = evidence_path(pack)
    bad = rewrite(pack, tmp_path / "changed.zip", replace={target: b"forged"})
    code, out, err = run(bad, capsys)
    assert code == 1
    assert out.splitlines() == [f"changed: {target}"]
    assert "1 changed, 0 missing, 0 added" in err


def test_a_missing_file_is_named(pack, tmp_path, capsys):
    target = evidence_path(pack)
    bad = rewrite(pack, tmp_path / "missing.zip", drop={target})
    code, out, _ = run(bad, capsys)
    assert (code, out.splitlines()) == (1, [f"missing: {target}"])


def test_an_added_file_is_named(pack, tmp_path, capsys):
    bad = rewrite(pack, tmp_path / "added.zip", add={"evidence/extra.pdf": b"slipped in"})
    code, out, _ = run(bad, capsys)
    assert (code, out.splitlines()) == (1, ["added: evidence/extra.pdf"])


def test_bytes_edited_inside_the_zip_are_caught(pack, tmp_path):
    """Flipping stored bytes in place (no re-zip) fails the member's own CRC: changed."""
    data = bytearray(pack.read_bytes())
    with zipfile.ZipFile(pack) as zf:
        info = zf.getinfo("index.html")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 5
    data[start] ^= 0xFF
    bad = tmp_path / "flipped.zip"
    bad.write_bytes(bytes(data))
    check = pack_verify(bad)
    assert check.changed == ["index.html"] and not check.missing and not check.added


def test_everything_at_once(pack, tmp_path, capsys):
    target = evidence_path(pack)
    bad = rewrite(pack, tmp_path / "all.zip", drop={"risks/ai-risk-register.xlsx"},
                  replace={target: b"x"}, add={"notes.txt": b"hello"})
    code, out, _ = run(bad, capsys)
    assert code == 1
    assert sorted(out.splitlines()) == sorted([
        f"changed: {target}", "missing: risks/ai-risk-register.xlsx", "added: notes.txt"])


@pytest.mark.parametrize("case", ["not a zip", "no manifest", "bad manifest", "not ours"])
def test_unreadable_packs_exit_2(pack, tmp_path, capsys, case):
    bad = tmp_path / "bad.zip"
    if case == "not a zip":
        bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    elif case == "no manifest":
        rewrite(pack, bad, drop={"manifest.json"})
    elif case == "bad manifest":
        rewrite(pack, bad, replace={"manifest.json": b"{not json"})
    else:
        rewrite(pack, bad, replace={"manifest.json": json.dumps({"format": "other"}).encode()})
    with pytest.raises(PackUnreadable):
        pack_verify(bad)
    code, _, err = run(bad, capsys)
    assert code == 2 and err.strip()


def test_a_missing_file_path_exits_2(tmp_path, capsys):
    code, _, err = run(tmp_path / "nope.zip", capsys)
    assert code == 2 and "nope.zip" in err


def test_the_command_line_spells_it_with_a_hyphen():
    from aims.cli import ALIASES

    assert ALIASES["verify-pack"] == "verify_pack"
