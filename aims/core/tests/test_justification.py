"""What counts as a justification an auditor accepts."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from aims.core.justification import MIN_LENGTH, MIN_WORDS, PLACEHOLDERS, justification_problem

GOOD = "We do not develop AI systems in-house; all AI is procured as SaaS, covered by A.10.3."


@pytest.mark.parametrize("text", [
    None, "", "   ", "\n\t", "N/A", "n/a", "NA", "n.a.", "-", "--", "...", "?", "not relevant",
    "Not applicable.", "NOT APPLICABLE", "TBD", "tbd!", "none", "None.", "(none)", "TODO",
    "Out of scope", "see above", "x",
])
def test_placeholders_are_rejected(text):
    assert justification_problem(text) is not None


@pytest.mark.parametrize("text", [
    "We don't use it",
    "Not used here at all",  # four words but too short
    "No AI development",
    "Procured only.",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",  # long enough, but one word
])
def test_short_texts_are_rejected(text):
    problem = justification_problem(text)
    assert problem is not None
    assert "Too short" in problem or "placeholder" in problem or "No reason given" in problem


def test_a_long_text_without_a_reason_is_told_so_not_that_it_is_short():
    # 15 words and 70 characters: the length rule holds, only the reason is missing. The
    # message must name that rule, not the length it already meets.
    text = "We do not communicate incidents, it is not needed here for us at all."
    problem = justification_problem(text)
    assert problem is not None
    assert "Too short" not in problem
    assert problem.startswith("No reason given")
    assert "“communicate incidents”" in problem
    # With the reason added, it passes.
    assert justification_problem(text.replace(
        "it is not needed here", "no AI system of ours has users outside the company")) is None


def test_a_short_text_is_told_its_length():
    problem = justification_problem("Procured only.")
    assert problem.startswith("Too short (2 words, 14 characters)")


def test_empty_says_it_is_required():
    assert justification_problem("  ").startswith("Required")


def test_placeholder_message_quotes_the_text():
    assert "N/A" in justification_problem("  N/A ")


@pytest.mark.parametrize("text", [
    GOOD,
    "No AI system we operate interacts with customers, so there is nothing to report externally.",
    "Data provenance is recorded by our supplier under contract clause 7; see A.10.3.",
])
def test_real_sentences_are_accepted(text):
    assert justification_problem(text) is None


def test_surrounding_whitespace_does_not_matter():
    assert justification_problem(f"\n  {GOOD}  \t") is None


def test_a_reason_that_merely_mentions_a_placeholder_word_is_accepted():
    assert justification_problem("Not applicable because we never train or fine-tune models.") \
        is None


# Any punctuation (Unicode category P*, "_" and "/" included) and any whitespace, long enough
# to pass the length and word-count rules if separated pieces of it counted as words.
PADDING = st.lists(
    st.one_of(st.characters(categories=["P"]), st.sampled_from("_/"),
              st.sampled_from([" ", "  ", "\t", "\n", "\r", "\u00a0"])),
    max_size=60,
).map("".join)


@given(word=st.sampled_from(sorted(PLACEHOLDERS)), before=PADDING, after=PADDING,
       upper=st.booleans())
@example(word="not applicable", before="", after=" _ _ _ _ _ _ _ _ _ _", upper=False)
@example(word="n/a", before="‿ ‿ ‿ ‿ ‿ ", after=" ﹏ ﹏ ﹏ ﹏ ﹏ ﹏", upper=True)
def test_placeholder_with_any_punctuation_or_whitespace_is_rejected(word, before, after, upper):
    text = before + (word.upper() if upper else word) + after
    assert justification_problem(text) is not None


@given(st.text(max_size=MIN_LENGTH - 1))
def test_anything_shorter_than_min_length_is_rejected(text):
    assert justification_problem(text) is not None


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=MIN_LENGTH, max_size=40),
                min_size=1, max_size=MIN_WORDS - 1))
def test_fewer_than_min_words_is_rejected_however_long(words):
    assert justification_problem(" ".join(words)) is not None


@pytest.mark.parametrize("text", [
    "N/A N/A N/A N/A N/A N/A N/A",
    "N/A 1 2 3 4 5 6 7 8 9 10 11",
    "not relevant not relevant not relevant",
    "tbd tbd tbd tbd tbd tbd tbd tbd",
])
def test_repeated_filler_is_not_a_reason(text):
    assert "placeholder" in justification_problem(text)


@pytest.mark.parametrize("text", [
    "Not applicable to our organisation",
    "This control is not relevant",
    "We do not need this control here",
    "lorem ipsum dolor sit amet",
])
def test_boilerplate_sentences_are_refused(text):
    assert justification_problem(text) is not None
