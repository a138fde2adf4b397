"""How a column's text becomes the value a domain service takes, and back.

`show` writes the text an export puts in the cell; `parse` reads that text (and the forms
people type: a choice's stored value or its label in any case, Yes/No, TRUE/FALSE, 1/0)
into the service's value. Comparing parsed values, never texts, is what makes an exported
file import as "unchanged".
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aims.core.tables import Column

YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}


class RowError(Exception):
    """One cell's text cannot be read: the column and the rule it broke."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


class Lookups:
    """What cells name, read once per file: members by e-mail and by name, AI systems by
    name (so checking a row costs no query)."""

    def __init__(self, *, members: list, systems: list, controls: list | None = None) -> None:
        self.member_by_id = {u.pk: u for u in members}
        self.member_by_key: dict[str, list] = {}
        for u in members:
            for key in {u.email.lower(), (u.display_name or "").lower()} - {""}:
                self.member_by_key.setdefault(key, []).append(u)
        self.controls = {c.requirement.ref.lower(): c for c in controls or []}
        self.files: dict[str, bytes] = {}  # a ZIP import's files by their path in the ZIP
        self.zipped = False
        self.system_by_id = {s.pk: s for s in systems}
        self.system_by_name: dict[str, list] = {}
        for s in systems:
            self.system_by_name.setdefault(s.name.lower(), []).append(s)


@dataclass(frozen=True)
class Attachment:
    """A file of a ZIP import, named by a row."""

    name: str
    content: bytes = field(compare=False, repr=False)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Field:
    """One column of a register: its title (as in the export), the service's field, and how
    its text reads."""

    title: str
    name: str
    # text, bool, tristate, date, int, choice, choices, member, systems, file, controls
    type: str = "text"
    choices: Any = None  # a TextChoices (choice, choices) or [(value, label)] (int choices)
    width: int = 18
    wrap: bool = False
    read_only: bool = False  # shown by the export, worked out by aims: ignored on import
    blank_keeps: bool = False  # an empty cell leaves the record's value as it is
    create_only: bool = False  # read for a new record only (a stored file never changes)
    member_shown_by: str = "email"  # or "name"
    attr: str = ""  # the model attribute when it differs from the service's field
    value: Callable[[Any], Any] | None = field(default=None, compare=False)  # read_only cells

    @property
    def column(self) -> Column:
        return Column(self.title, self.width, self.wrap)

    # -- the record's value, in the service's form -------------------------------------

    def current(self, obj: Any) -> Any:
        if self.value is not None:
            return self.value(obj)
        attr = self.attr or self.name
        if self.type == "member":
            return getattr(obj, f"{attr}_id")
        if self.type == "systems":
            return sorted(s.pk for s in getattr(obj, attr).all())
        raw = getattr(obj, attr)
        if self.type == "choices":
            return sorted(raw or [])
        return raw

    # -- text → value ----------------------------------------------------------------

    def parse(self, text: str, look: Lookups) -> Any:
        t = self.type
        if t == "text":
            return text
        if t == "bool":
            if text.lower() in YES:
                return True
            if text.lower() in NO or not text:
                return False
            raise RowError(self.title, f"“{text[:40]}” is not Yes or No.")
        if t == "tristate":
            if text.lower() in YES:
                return True
            if text.lower() in NO:
                return False
            if not text or text.lower() in ("not decided", "undecided", "-"):
                return None
            raise RowError(self.title, f"“{text[:40]}” is not Yes, No or Not decided.")
        if t == "date":
            if not text:
                return None
            try:
                return datetime.date.fromisoformat(text[:10] if len(text) > 10 and
                                                   text[10] in " T" else text)
            except ValueError:
                raise RowError(self.title, f"“{text[:40]}” is not a date; write it as "
                                           "YYYY-MM-DD.") from None
        if t == "int":
            return self._int(text)
        if t == "choice":
            return self._choice(text)
        if t == "choices":
            parts = [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]
            return sorted({self._choice(p) for p in parts})
        if t == "member":
            return self._member(text, look)
        if t == "systems":
            return self._systems(text, look)
        if t == "file":
            return self._file(text, look)
        if t == "controls":
            refs = [r for r in re.split(r"[;,\s]+", text) if r]
            if missing := [r for r in refs if r.lower() not in look.controls]:
                raise RowError(self.title, f"Not an ISO/IEC 42001 requirement: "
                                           f"{', '.join(missing)}. Use references such as "
                                           "A.6.2.6, separated by “;”.")
            return sorted({look.controls[r.lower()].pk: look.controls[r.lower()]
                           for r in refs}.values(), key=lambda c: c.requirement.sort_key)
        raise AssertionError(t)

    def _file(self, text: str, look: Lookups) -> Attachment | None:
        if not text:
            return None
        name = text.replace("\\", "/").lstrip("./")
        if name not in look.files:
            where = ("The ZIP holds no file by that path." if look.zipped else
                     "Upload a ZIP holding the table and the files it names.")
            raise RowError(self.title, f"“{text[:120]}”: {where}")
        return Attachment(name, look.files[name])

    def _pairs(self) -> list[tuple[Any, str]]:
        return list(self.choices.choices if hasattr(self.choices, "choices") else self.choices)

    def _choice(self, text: str) -> Any:
        if not text:
            return ""
        for value, label in self._pairs():
            if text.lower() in (str(value).lower(), str(label).lower()):
                return value
        raise RowError(self.title, f"“{text[:60]}” is not one of: "
                                   f"{', '.join(str(label) for _, label in self._pairs())}.")

    def _int(self, text: str) -> Any:
        if self.choices is not None:
            return self._choice(text) if text else None
        if not text:
            return None
        if not re.fullmatch(r"-?\d{1,9}", text):
            raise RowError(self.title, f"“{text[:40]}” is not a whole number.")
        return int(text)

    def _member(self, text: str, look: Lookups) -> Any:
        if not text:
            return None
        found = look.member_by_key.get(text.lower(), [])
        if not found:
            raise RowError(self.title, f"No member of this organisation has the e-mail or "
                                       f"name “{text[:80]}”.")
        if len({u.pk for u in found}) > 1:
            raise RowError(self.title, f"More than one member is called “{text[:80]}”; "
                                       "give the e-mail instead.")
        return found[0].pk

    def _systems(self, text: str, look: Lookups) -> list:
        names = [n.strip() for n in re.split(r"[;\n]", text) if n.strip()]
        if unknown := [n for n in names if n.lower() not in look.system_by_name]:
            raise RowError(self.title, "Not in the AI system inventory: "
                                       f"{', '.join(unknown)}. Separate names with “;”.")
        if ambiguous := [n for n in names if len(look.system_by_name[n.lower()]) > 1]:
            raise RowError(self.title, "More than one AI system has this name (differing only "
                                       f"in capitals): {', '.join(ambiguous)}.")
        return sorted({look.system_by_name[n.lower()][0].pk for n in names})

    # -- value → text ----------------------------------------------------------------

    def show(self, value: Any, look: Lookups) -> str:
        t = self.type
        if value is None or value == "" or value == []:
            return "Not decided" if t == "tristate" and value is None else ""
        if t in ("bool", "tristate"):
            return "Yes" if value else "No"
        if t == "date":
            return value.isoformat()
        if t == "choice" or (t == "int" and self.choices is not None):
            return next((str(label) for v, label in self._pairs() if v == value), str(value))
        if t == "choices":
            labels = dict(self._pairs())
            return "; ".join(str(labels.get(v, v)) for v in value)
        if t == "member":
            user = look.member_by_id.get(value)
            if user is None:
                return ""
            return (user.display_name if self.member_shown_by == "name" else user.email)
        if t == "systems":
            return "; ".join(sorted(look.system_by_id[pk].name for pk in value
                                    if pk in look.system_by_id))
        if t == "controls":
            return "; ".join(c.requirement.ref for c in value)
        return str(value)
