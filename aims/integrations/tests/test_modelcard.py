"""Reading model cards: what each part becomes, what is reported empty, and hostile files."""

from pathlib import Path

import pytest

from aims.core.errors import ValidationError
from aims.integrations import modelcard
from aims.integrations.modelcard import EVALUATION, INTENDED_USE, LIMITATIONS, TRAINING_DATA

DATA = Path(__file__).parent / "data"


def test_hugging_face_card_fills_the_four_parts():
    card = modelcard.parse((DATA / "claims_card.md").read_bytes(), "README.md")
    assert card.format == "huggingface" and card.model == "claims-triage-bert"
    assert set(card.parts) == {INTENDED_USE, LIMITATIONS, TRAINING_DATA, EVALUATION}
    assert "Routing new motor insurance claims" in card.parts[INTENDED_USE]
    assert "Deciding whether to pay" in card.parts[LIMITATIONS]  # out-of-scope use
    assert "languages other than English" in card.parts[LIMITATIONS]
    assert "42,000 motor claims" in card.parts[TRAINING_DATA]
    assert "acme/claims-2024" in card.parts[TRAINING_DATA]  # from the metadata
    assert "f1: 0.91 on Acme held-out claims 2025 (Claim triage)" in card.parts[EVALUATION]
    assert "code block heading" in card.parts[EVALUATION]  # fenced code stays in its section
    assert card.gaps == []


def test_what_a_template_card_leaves_empty_is_reported():
    card = modelcard.parse((DATA / "empty_card.md").read_bytes())
    assert card.parts == {}
    assert "No license in the metadata." in card.gaps
    assert any(g.startswith("Intended use: the section is there but left empty")
               for g in card.gaps)
    assert any(g.startswith("Evaluation results: the section is there") for g in card.gaps)
    assert "Limitations: no section says it." in card.gaps
    assert "Training data: no section says it." in card.gaps


def test_a_card_without_front_matter_says_it_has_no_metadata():
    card = modelcard.parse(b"# m\n\n## Limitations\n\nSlow on long inputs.\n")
    assert card.parts[LIMITATIONS].endswith("Slow on long inputs.")
    assert card.gaps[0].startswith("No YAML front matter")


def test_mlflow_run_json():
    card = modelcard.parse((DATA / "mlflow_run.json").read_bytes(), "run.json")
    assert card.format == "mlflow" and card.model == "fraud-scorer-v7"
    assert card.parts[INTENDED_USE] == "Flag card payments for manual fraud review."
    assert "- auc: 0.87" in card.parts[EVALUATION]
    assert "fraud-train-2025q3 (training), digest 9ab1" in card.parts[TRAINING_DATA]
    assert "training_dataset: s3://acme/fraud/train-2025q3.parquet" in card.parts[TRAINING_DATA]
    assert card.gaps == ["Limitations: the metadata holds no limitations tag."]


def test_mlflow_model_version_metadata():
    card = modelcard.parse(b'{"model_version": {"name": "fraud", "version": "3", '
                           b'"run_id": "abc", "description": "Scores payments."}}')
    assert card.model == "fraud" and card.parts == {INTENDED_USE: "Scores payments."}
    assert len(card.gaps) == 3


HOSTILE = {
    "malformed YAML": (b"---\nlicense: [apache\n---\n# m\n", "malformed (line"),
    "front matter never closed": (b"---\nlicense: mit\n# m\n", "never ends"),
    "front matter is a list": (b"---\n- a\n- b\n---\n# m\n", "must be a mapping"),
    "huge front matter": (b"---\nx: '" + b"a" * 70_000 + b"'\n---\n# m\n", "at most 64 KB"),
    "latin-1 text": ("---\nlicense: mit\n---\n# modèle\n".encode("latin-1"), "not UTF-8"),
    "NUL bytes": (b"# m\x00\x00", "NUL"),
    "not a card": (b"just some words\nand more\n", "not a model card"),
    "malformed JSON": (b'{"info": ', "JSON is malformed"),
    "JSON of something else": (b'{"hello": "world"}', "neither an MLflow run"),
    "JSON array": (b"[1, 2]", "JSON object"),
    "too large": (b"# m\n" + b"a" * (modelcard.MAX_BYTES + 1), "at most 2 MB"),
    "python object tag": (b"---\nx: !!python/object/apply:os.system ['true']\n---\n# m\n",
                          "malformed"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_are_refused_naming_the_file_field(name):
    content, words = HOSTILE[name]
    with pytest.raises(ValidationError) as exc:
        modelcard.parse(content)
    assert list(exc.value.errors) == ["file"]
    assert words in exc.value.message, exc.value.message


def test_an_alias_bomb_is_refused():
    # Ten levels of ten aliases each: a few hundred bytes standing for 10^9 values.
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    with pytest.raises(ValidationError) as exc:
        modelcard.parse(("\n".join(lines) + "\n---\n# m\n").encode())
    assert "more than 20000 values" in exc.value.message
