"""What one kind of import declares: its columns, how a row finds its record, and the
services that create and change records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aims.exchange.imports.fields import Field, Lookups, RowError
from aims.orgs.context import Ctx


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class ImportKind:
    key: str  # "inventory"
    label: str  # "AI system inventory"
    record_label: str  # "AI system"
    perm: str  # the change permission of the register
    view_perm: str  # who may download the register (the export)
    fields: tuple[Field, ...]
    key_titles: tuple[str, ...]  # the columns that tell which record a row is
    records: Callable[[Ctx], Iterable[Any]]  # the register as it is, for matching
    lookups: Callable[[Ctx], Lookups]
    create: Callable[[Ctx, dict[str, Any]], Any] | None
    update: Callable[[Ctx, Any, dict[str, Any]], Any]
    list_url: str  # the web page of the register (a URL name)
    sheet: str  # the export's sheet name
    no_create_message: str = "no such record to update."
    new_without_key: bool = False  # a row with empty key columns is a new record (evidence)
    help: str = ""  # what the rows are, in a sentence, for the import page

    def field(self, title: str) -> Field:
        return next(f for f in self.fields if f.title == title)

    @property
    def columns(self) -> list:
        return [f.column for f in self.fields]

    def key_of_record(self, obj: Any, look: Lookups) -> tuple:
        return tuple(_norm(self.field(t).show(self.field(t).current(obj), look))
                     for t in self.key_titles)

    def key_of_row(self, values: dict[str, Any], look: Lookups) -> tuple:
        key = []
        for title in self.key_titles:
            f = self.field(title)
            if f.name not in values:
                raise RowError(title, "Required: it tells which record the row is.")
            text = _norm(f.show(values[f.name], look))
            if not text:
                raise RowError(title, "Required: it tells which record the row is.")
            key.append(text)
        return tuple(key)

    def label_of(self, values: dict[str, Any], look: Lookups) -> str:
        """The row's record as people read it: `AI system “Claims triage”`."""
        shown = [self.field(t).show(values[self.field(t).name], look) for t in self.key_titles]
        return f"{self.record_label} “{' / '.join(shown)}”"

    def export_rows(self, ctx: Ctx) -> list[list[str]]:
        """The register as rows of text in the columns' order: the export, and what an
        import of it leaves unchanged."""
        look = self.lookups(ctx)
        return [[f.show(f.current(obj), look) for f in self.fields] for obj in self.records(ctx)]
