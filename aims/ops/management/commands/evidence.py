import os
import sys
from pathlib import Path

import requests
from django.core.management.base import BaseCommand, CommandError

from aims.core.errors import DomainError
from aims.evidence.selectors import files_verify
from aims.integrations.modelcard import MAX_BYTES
from aims.integrations.services import model_card_import
from aims.orgs.context import ctx_for_cli

PUSH_TIMEOUT = 120  # seconds: large files over slow links


class Command(BaseCommand):
    help = ("Evidence: aims evidence verify --org SLUG | push --url URL --org SLUG "
            "--token-env VAR (--file F | --link URL) --title T --from D --to D "
            "[--control REF] [--system ID] | model-card --org SLUG --system ID FILE")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="Re-hash every stored file of the organisation; one line per missing "
                           "or altered file; exit 1 if any.")
        verify.add_argument("--org", required=True)
        push = sub.add_parser(
            "push", help="Send evidence to a running aims server over HTTP, as a CI pipeline "
                         "does, with an integration token (or a personal API token).")
        push.add_argument("--url", required=True,
                          help="The server's address, e.g. https://aims.example.com.")
        push.add_argument("--org", required=True, help="The organisation's slug.")
        secret = push.add_mutually_exclusive_group(required=True)
        secret.add_argument("--token-env", metavar="VAR",
                            help="The environment variable holding the token (keeps it out of "
                                 "the process list and the pipeline's log).")
        secret.add_argument("--token", help="The token itself.")
        what = push.add_mutually_exclusive_group(required=True)
        what.add_argument("--file", help="A file to send as the evidence.")
        what.add_argument("--link", help="An address to record as the evidence instead.")
        push.add_argument("--title", default="", help="What it is, as an auditor would ask.")
        push.add_argument("--description", default="")
        push.add_argument("--from", dest="effective_from", help="First day it covers "
                                                                "(YYYY-MM-DD).")
        push.add_argument("--to", dest="effective_to", help="Last day it covers (YYYY-MM-DD).")
        push.add_argument("--valid-until", help="When it goes stale (YYYY-MM-DD).")
        push.add_argument("--control", action="append", default=[],
                          help="A control it supports (A.6.2.4); repeatable.")
        push.add_argument("--system", action="append", default=[],
                          help="An AI system it supports (id or exact name); repeatable.")
        push.add_argument("--model-card", action="store_true",
                          help="The file is a model card (Hugging Face README.md or MLflow "
                               "JSON) for the one --system.")
        card = sub.add_parser(
            "model-card", help="Import a Hugging Face model card or MLflow metadata JSON onto "
                               "an AI system, on this installation's database.")
        card.add_argument("--org", required=True)
        card.add_argument("--system", required=True, help="The AI system's id or exact name.")
        card.add_argument("file", help="The card ('-' reads standard input).")

    def handle(self, *args, action, **opts):
        if action == "push":
            return self._push(opts)
        try:
            ctx = ctx_for_cli(opts["org"], actor_label=f"aims evidence {action}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if action == "model-card":
            return self._model_card(ctx, opts)
        org = opts["org"]
        result = files_verify(ctx=ctx)
        for p in result.problems:
            users = ", ".join(p.used_by) or "no record"
            self.stdout.write(f"{p.problem.upper()}: sha256:{p.sha256} ({p.size} bytes, "
                              f"{p.path}) used by {users}")
        if not result.ok:
            missing = sum(p.problem == "missing" for p in result.problems)
            raise CommandError(
                f"Evidence files of {org}: {len(result.problems)} of {result.checked} bad "
                f"({missing} missing, {len(result.problems) - missing} altered).")
        self.stdout.write(f"Evidence files of {org} are intact: {result.checked} files verified.")

    def _model_card(self, ctx, opts) -> None:
        file = opts["file"]
        if file == "-":
            content = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"No such file: {file}")
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"file: a model card may be at most "
                                   f"{MAX_BYTES // 1024 // 1024} MB.")
            content = path.read_bytes()
        try:
            done = model_card_import(ctx=ctx, system_id=opts["system"], content=content,
                                     file_name=Path(file).name if file != "-" else "")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{done.card.format_label} of {done.card.model} on "
                          f"{done.system.name}:")
        for e in done.evidence:
            self.stdout.write(f"  {e.ref}  {e.title}")
        for gap in done.card.gaps:
            self.stdout.write(f"  EMPTY: {gap}")
        if done.unlinked:
            self.stdout.write(f"  Not linked (no such control here): {', '.join(done.unlinked)}")

    def _push(self, opts) -> None:
        if opts["token_env"]:
            token = os.environ.get(opts["token_env"], "").strip()
            if not token:
                raise CommandError(f"The environment variable {opts['token_env']} is empty or "
                                   "not set: it should hold the integration token.")
        else:
            token = opts["token"]
        fields: list[tuple[str, str]] = [
            (k, v) for k, v in (
                ("title", opts["title"]), ("description", opts["description"]),
                ("url", opts["link"] or ""), ("effective_from", opts["effective_from"] or ""),
                ("effective_to", opts["effective_to"] or ""),
                ("valid_until", opts["valid_until"] or "")) if v]
        fields += [("controls", c) for c in opts["control"]]
        fields += [("systems", s) for s in opts["system"]]
        if opts["model_card"]:
            fields.append(("model_card", "true"))
        address = f"{opts['url'].rstrip('/')}/api/v1/orgs/{opts['org']}/evidence/push"
        files = None
        if opts["file"]:
            path = Path(opts["file"])
            if not path.is_file():
                raise CommandError(f"No such file: {opts['file']}")
        try:
            if opts["file"]:
                with path.open("rb") as handle:
                    files = {"file": (path.name, handle)}
                    response = requests.post(address, data=fields, files=files,
                                             headers={"Authorization": f"Bearer {token}"},
                                             timeout=PUSH_TIMEOUT)
            else:
                # Multipart even without a file: the route reads form fields.
                response = requests.post(address, files=[(k, (None, v)) for k, v in fields],
                                         headers={"Authorization": f"Bearer {token}"},
                                         timeout=PUSH_TIMEOUT)
        except requests.RequestException as exc:
            raise CommandError(f"Could not reach {address}: {exc}") from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 201:
            detail = body.get("detail") if isinstance(body, dict) else None
            if response.status_code == 401:
                # Say what an unaccepted credential means for a pipeline.
                detail = ("the token was not accepted: it is wrong, revoked or expired, or "
                          "not a token of this organisation's server.")
            raise CommandError(f"{response.status_code}: "
                               f"{detail or response.text[:300] or response.reason}")
        for e in body.get("evidence", []):
            sha = f"  sha256:{e['sha256']}" if e.get("sha256") else ""
            self.stdout.write(f"{e['ref']}  {e['title']}{sha}")
        for gap in body.get("gaps", []):
            self.stdout.write(f"EMPTY: {gap}")
