"""aims classify --org SLUG --system ID --answers FILE.json [--based-on N] [--format text|json]

Saves an EU AI Act classification of one AI system from a file of answers ({question id:
answer}, as `PUT …/ai-systems/{id}/classification` takes them), through the same service as
the web page and the API: a new version, the system's class, its obligations refreshed, all
logged as done by `aims classify`. Exits 0 when saved, 2 when the answers or the arguments are
refused (each refused answer named), 1 when someone saved a newer version meanwhile.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aims.aiact.selectors import ObligationFilters, classification_get, obligation_calendar
from aims.aiact.services import classification_save
from aims.core.errors import Conflict, DomainError, ValidationError
from aims.orgs.context import ctx_for_cli

USAGE = 2


class Command(BaseCommand):
    help = ("Classify an AI system under the EU AI Act from a JSON file of answers (the same "
            "service as the web page and the API).")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--system", required=True, help="The AI system's id.")
        parser.add_argument("--answers", required=True,
                            help="A JSON file: {question id: answer} (a list for tick-any "
                                 "questions), or {\"answers\": {...}} as the API takes it.")
        parser.add_argument("--based-on", type=int, default=None, dest="based_on",
                            help="The classification version the answers build on (default: "
                                 "the current one); a newer one saved since is refused.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, org, system, answers, based_on, format, **options):
        try:
            data = json.loads(Path(answers).read_text())
        except OSError as exc:
            raise CommandError(f"--answers: cannot read {answers}: {exc.strerror}.",
                               returncode=USAGE) from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"--answers: {answers} is not JSON ({exc.msg}, line "
                               f"{exc.lineno}).", returncode=USAGE) from exc
        if isinstance(data, dict) and isinstance(data.get("answers"), dict):
            data = data["answers"]
        try:
            ctx = ctx_for_cli(org, actor_label="aims classify")
            if based_on is None:
                based_on = classification_get(ctx=ctx, system_id=system).version
            saved = classification_save(ctx=ctx, system_id=system, answers=data,
                                        version=based_on)
        except ValidationError as exc:
            lines = [f"  {field}: {' '.join(msgs)}" for field, msgs in exc.errors.items()]
            raise CommandError("The classification was not saved:\n" + "\n".join(lines),
                               returncode=USAGE) from exc
        except Conflict as exc:
            raise CommandError(exc.message, returncode=1) from exc
        except DomainError as exc:
            raise CommandError(exc.message, returncode=USAGE) from exc
        rows = obligation_calendar(ctx=ctx, today=timezone.localdate(),
                                   filters=ObligationFilters(ai_system=saved.ai_system_id)).rows
        if format == "json":
            self.stdout.write(json.dumps({
                "ai_system": str(saved.ai_system_id), "version": saved.number,
                "class": saved.result_class, "trace": saved.trace,
                "obligations": [{"id": str(r.item.pk), "ref": r.item.ref, "role": r.item.role,
                                 "applies_from": r.item.applies_from.isoformat(),
                                 "status": r.item.status} for r in rows]}, indent=2))
            return
        self.stdout.write(f"{saved.ai_system.name}: {saved.get_result_class_display()} "
                          f"(classification version {saved.number}).")
        for step in saved.trace:
            self.stdout.write(f"  [{step['article'] or '-'}] {step['outcome']}")
        self.stdout.write(f"{len(rows)} obligation{'s' if len(rows) != 1 else ''} for "
                          "the organisation:")
        for r in rows:
            self.stdout.write(f"  {r.item.applies_from:%Y-%m-%d}  {r.item.ref:<10} "
                              f"{r.item.get_role_display():<12} {r.item.get_status_display()}")
