"""Reading a model card: a Hugging Face card (README.md, YAML front matter then Markdown
sections) or MLflow run or model metadata as JSON, into the four things an AIMS keeps as
evidence about a model, and the list of what the card leaves empty.

Nothing here writes; a card that cannot be read raises ValidationError on `file` naming why.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from aims.core.errors import ValidationError

MAX_BYTES = 2 * 1024 * 1024  # a model card is text: a few hundred KB at the very most
MAX_FRONT_MATTER = 64 * 1024
MAX_NODES = 20_000  # values in the metadata; past this it is not a card (or an alias bomb)
MAX_SECTION = 20_000  # characters kept of one section

INTENDED_USE = "intended_use"
LIMITATIONS = "limitations"
TRAINING_DATA = "training_data"
EVALUATION = "evaluation"


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    controls: tuple[str, ...]
    why: str


# Which Annex A controls each part of a card supports, and why (our reading of the controls'
# titles in ../shared/reference: the card is design and verification documentation kept for
# the life cycle of the system, and a record of the data used to build it).
PARTS = (
    Part(INTENDED_USE, "Intended use", ("A.6.2.2", "A.9.4"),
         "What the model is for and what it must not be used for is part of the system's "
         "requirements and specification, and the yardstick against which its actual use is "
         "checked."),
    Part(LIMITATIONS, "Limitations", ("A.6.2.7", "A.8.2"),
         "Known limitations, biases and risks belong in the technical documentation and in "
         "what users are told about the system."),
    Part(TRAINING_DATA, "Training data", ("A.7.2", "A.7.5"),
         "Which data the model was built from, and where that data came from, documents the "
         "data used for development and its provenance."),
    Part(EVALUATION, "Evaluation results", ("A.6.2.4",),
         "Measured results on named test data are the record of verifying and validating the "
         "model before it is relied on."),
)
PART_OF = {p.key: p for p in PARTS}
# The card itself, as a file: technical documentation of the system.
CARD_CONTROLS = ("A.6.2.7",)

# Markdown headings of the Hugging Face template and of cards written by hand, by the part
# they fill. Evaluation is tried first: "Evaluation data" is about evaluation, not training.
HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (EVALUATION, re.compile(r"evaluat|result|metric|performance|benchmark|testing")),
    (LIMITATIONS, re.compile(r"limitation|bias|risk|out[- ]of[- ]scope|caveat|ethic|"
                             r"recommendation|warning")),
    (TRAINING_DATA, re.compile(r"training|data ?set|\bdata\b|corpus|pre-?processing")),
    (INTENDED_USE, re.compile(r"\buses?\b|intended|purpose|use cases?|applications?")),
)
PLACEHOLDER = re.compile(r"\[more information needed\]|\[needs more information\]|^\s*tbd\s*$",
                         re.IGNORECASE | re.MULTILINE)


@dataclass
class ModelCard:
    """What a card says, part by part, and what it leaves empty."""

    format: str  # "huggingface" or "mlflow"
    model: str
    parts: dict[str, str] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)

    @property
    def format_label(self) -> str:
        return {"huggingface": "Hugging Face model card", "mlflow": "MLflow metadata"}[
            self.format]


def _bad(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _text(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise _bad(f"The card is {len(content) / 1024 / 1024:.1f} MB; a model card may be at "
                   f"most {MAX_BYTES // 1024 // 1024} MB.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _bad(f"The card is not UTF-8 text (byte {exc.start} cannot be read): save it "
                   "as UTF-8 and send it again.") from None
    if "\x00" in text:
        raise _bad("The card holds NUL characters: it is not a text file.")
    return text


def _count(value: Any, budget: list[int]) -> None:
    """Walk the metadata, refusing it past MAX_NODES values (YAML aliases can make a small
    file stand for an enormous tree)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _bad(f"The card's metadata holds more than {MAX_NODES} values: that is not a "
                   "model card.")
    if isinstance(value, dict):
        for k, v in value.items():
            _count(k, budget)
            _count(v, budget)
    elif isinstance(value, list):
        for v in value:
            _count(v, budget)


def parse(content: bytes, file_name: str = "") -> ModelCard:
    """The card in `content`: JSON is read as MLflow metadata, anything else as a Hugging Face
    card. ValidationError on `file` when it is neither."""
    text = _text(content)
    if text.lstrip().startswith(("{", "[")) or file_name.lower().endswith(".json"):
        return _mlflow(text)
    return _huggingface(text)


# --------------------------------------------------------------------------- Hugging Face


def _front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise _bad("The YAML front matter starts with '---' on line 1 but never ends: close it "
                   "with a line holding only '---'.")
    raw = "".join(lines[1:end])
    if len(raw.encode()) > MAX_FRONT_MATTER:
        raise _bad(f"The YAML front matter is {len(raw.encode()) // 1024} KB; it may be at "
                   f"most {MAX_FRONT_MATTER // 1024} KB.")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 2}, column {where.column + 1})" if where else ""
        problem = getattr(exc, "problem", None) or "it cannot be parsed"
        raise _bad(f"The YAML front matter is malformed{at}: {problem}.") from None
    except RecursionError:
        raise _bad("The YAML front matter is nested too deeply.") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _bad("The YAML front matter must be a mapping of names to values "
                   f"(it is a {type(data).__name__}).")
    _count(data, [MAX_NODES])
    return data, "".join(lines[end + 1:])


def _sections(body: str) -> list[tuple[int, str, str]]:
    """(level, heading, text) of each Markdown heading, outside fenced code."""
    out: list[tuple[int, str, list[str]]] = []
    fenced = False
    for line in body.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        m = None if fenced else re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if m:
            out.append((len(m.group(1)), m.group(2).strip(), []))
        elif out:
            out[-1][2].append(line)
    return [(level, title, "\n".join(lines).strip()) for level, title, lines in out]


def _meaningful(text: str) -> bool:
    left = PLACEHOLDER.sub("", re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL))
    return bool(left.strip())


def _model_index(meta: dict[str, Any]) -> str:
    """The results of the front matter's model-index as lines of text."""
    lines = []
    for model in meta.get("model-index") or []:
        if not isinstance(model, dict):
            continue
        for result in model.get("results") or []:
            if not isinstance(result, dict):
                continue
            task = result.get("task") or {}
            data = result.get("dataset") or {}
            task_name = (task.get("name") or task.get("type") or "") if isinstance(task, dict) \
                else ""
            data_name = (data.get("name") or data.get("type") or "") if isinstance(data, dict) \
                else ""
            for metric in result.get("metrics") or []:
                if isinstance(metric, dict) and "value" in metric:
                    name = metric.get("name") or metric.get("type") or "metric"
                    lines.append(f"- {name}: {metric['value']}"
                                 + (f" on {data_name}" if data_name else "")
                                 + (f" ({task_name})" if task_name else ""))
    return "\n".join(lines)


def _huggingface(text: str) -> ModelCard:
    meta, body = _front_matter(text)
    sections = _sections(body)
    if meta is None and not sections:
        raise _bad("This is not a model card: it has neither YAML front matter nor Markdown "
                   "sections (# headings).")
    meta = meta or {}
    title = next((t for level, t, _ in sections if level == 1), "")
    index = meta.get("model-index")
    indexed_name = (index[0].get("name") if isinstance(index, list) and index
                    and isinstance(index[0], dict) else None)
    model = str(meta.get("model_name") or indexed_name or title or "the model")[:150]
    card = ModelCard(format="huggingface", model=model)
    found: dict[str, list[str]] = {}
    placeholders: set[str] = set()
    for _level, heading, content in sections:
        for key, pattern in HEADINGS:
            if pattern.search(heading.lower()):
                if _meaningful(content):
                    found.setdefault(key, []).append(f"{heading}\n\n{content}")
                else:
                    placeholders.add(key)
                break
    datasets = meta.get("datasets")
    if isinstance(datasets, str):
        datasets = [datasets]
    if isinstance(datasets, list) and datasets:
        found.setdefault(TRAINING_DATA, []).append(
            "Datasets named in the metadata: " + ", ".join(str(d) for d in datasets))
    if results := _model_index(meta):
        found.setdefault(EVALUATION, []).append("Results in the metadata (model-index):\n"
                                                 + results)
    for key, texts in found.items():
        card.parts[key] = "\n\n".join(texts)[:MAX_SECTION]
    if not meta:
        card.gaps.append("No YAML front matter: the card has no metadata (license, datasets, "
                         "results).")
    elif not meta.get("license"):
        card.gaps.append("No license in the metadata.")
    for part in PARTS:
        if part.key in card.parts:
            continue
        if part.key in placeholders:
            card.gaps.append(f"{part.label}: the section is there but left empty or as "
                             "“[More Information Needed]”.")
        else:
            card.gaps.append(f"{part.label}: no section says it.")
    return card


# --------------------------------------------------------------------------- MLflow


def _pairs(value: Any) -> dict[str, Any]:
    """MLflow writes metrics, params and tags as {key: value} or [{key, value}, …]."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, list):
        return {str(x["key"]): x.get("value") for x in value
                if isinstance(x, dict) and "key" in x}
    return {}


def _first(found: dict[str, Any], *names: str) -> str:
    for name in names:
        for key, value in found.items():
            if key.lower() == name and isinstance(value, str | int | float) and str(value).strip():
                return str(value).strip()
    return ""


def _mlflow(text: str) -> ModelCard:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(f"The JSON is malformed (line {exc.lineno}, column {exc.colno}): "
                   f"{exc.msg}.") from None
    except RecursionError:
        raise _bad("The JSON is nested too deeply.") from None
    if isinstance(data, dict) and isinstance(data.get("run"), dict):
        data = data["run"]  # the REST API's GetRun answer
    if isinstance(data, dict) and isinstance(data.get("model_version"), dict):
        data = data["model_version"]  # the REST API's GetModelVersion answer
    if not isinstance(data, dict):
        raise _bad("MLflow metadata is a JSON object (a run, or a model's metadata).")
    _count(data, [MAX_NODES])
    info: dict[str, Any] = data["info"] if isinstance(data.get("info"), dict) else {}
    run_data: dict[str, Any] = data["data"] if isinstance(data.get("data"), dict) else {}
    is_run = bool(info) or bool(run_data)
    is_model = any(k in data for k in ("flavors", "signature", "model_uuid", "run_id", "source",
                                       "artifact_path"))
    if not (is_run or is_model):
        raise _bad("This JSON is neither an MLflow run (info, data) nor MLflow model metadata "
                   "(flavors, signature, run_id…).")
    metrics = _pairs(run_data.get("metrics")) or _pairs(data.get("metrics"))
    params = _pairs(run_data.get("params")) or _pairs(data.get("params"))
    tags = {**_pairs(run_data.get("tags")), **_pairs(data.get("tags")),
            **_pairs(data.get("metadata"))}
    everything = {**params, **tags}
    model = (info.get("run_name") or data.get("name") or tags.get("mlflow.runName")
             or info.get("run_id") or data.get("run_id") or "the model")
    card = ModelCard(format="mlflow", model=str(model)[:150])
    intended = _first(everything, "intended_use", "intended_uses", "intended-use", "purpose",
                      "use_case") or _first(tags, "mlflow.note.content") or (
        str(data["description"]).strip() if isinstance(data.get("description"), str) else "")
    if intended:
        card.parts[INTENDED_USE] = intended[:MAX_SECTION]
    limits = _first(everything, "limitations", "known_limitations", "limitation", "risks",
                    "bias", "caveats")
    if limits:
        card.parts[LIMITATIONS] = limits[:MAX_SECTION]
    data_lines = []
    inputs: dict[str, Any] = data["inputs"] if isinstance(data.get("inputs"), dict) else {}
    for entry in inputs.get("dataset_inputs") or []:
        dataset = entry.get("dataset") if isinstance(entry, dict) else None
        if isinstance(dataset, dict):
            context = _pairs(entry.get("tags")).get("mlflow.data.context", "")
            data_lines.append(
                f"- {dataset.get('name', 'dataset')}"
                + (f" ({context})" if context else "")
                + (f", digest {dataset['digest']}" if dataset.get("digest") else "")
                + (f", from {dataset['source_type']}" if dataset.get("source_type") else ""))
    for key, value in everything.items():
        low = key.lower()
        if (("dataset" in low or "training_data" in low or "train_data" in low)
                and not low.startswith("mlflow.")):
            data_lines.append(f"- {key}: {value}")
    if data_lines:
        card.parts[TRAINING_DATA] = "\n".join(data_lines)[:MAX_SECTION]
    if metrics:
        card.parts[EVALUATION] = "\n".join(
            f"- {k}: {v}" for k, v in sorted(metrics.items()))[:MAX_SECTION]
    for part in PARTS:
        if part.key not in card.parts:
            card.gaps.append(f"{part.label}: the metadata holds no "
                             + {INTENDED_USE: "intended_use tag or description.",
                                LIMITATIONS: "limitations tag.",
                                TRAINING_DATA: "dataset inputs or dataset parameters.",
                                EVALUATION: "metrics."}[part.key])
    return card
