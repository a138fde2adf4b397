"""What counts as a real justification: auditors reject empty, token or placeholder reasons."""

from __future__ import annotations

import re

MIN_LENGTH = 25
MIN_WORDS = 4

# Compared after lower-casing and stripping punctuation and spaces at the ends.
PLACEHOLDERS = frozenset({
    "", "na", "n a", "n/a", "none", "nil", "no", "nothing", "not relevant", "not applicable",
    "irrelevant", "tbd", "tbc", "todo", "to do", "to be decided", "to be confirmed", "x", "xx",
    "xxx", "see above", "as above", "excluded", "out of scope", "not needed", "not required",
    "no need", "does not apply", "doesnt apply", "not used", "same", "ok", "test",
})


def _normalise(text: str) -> str:
    text = text.lower().strip()
    text = re.sub(r"(?:[^\w/ ]|_)+", " ", text)  # "_" is a \w character, not a word
    return re.sub(r"\s+", " ", text).strip(" /")


# Words that carry no reason however often they are repeated ("N/A N/A N/A N/A …").
FILLER_WORDS = frozenset({
    "n/a", "na", "n", "a", "none", "nil", "no", "nothing", "tbd", "tbc", "todo", "x", "xx",
    "xxx", "ok", "test", "see", "above", "same", "etc", "not", "relevant", "applicable",
    "need", "needed", "required", "use", "used", "apply", "applies", "lorem", "ipsum", "dolor",
    "sit", "amet",
})

# Words that say nothing on their own: a reason needs words beyond these.
STOP_WORDS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "is", "are", "was", "be",
    "to", "of", "in", "on", "for", "at", "by", "with", "and", "or", "but", "so", "as", "do",
    "does", "we", "our", "us", "you", "your", "they", "their", "here", "there", "control",
    "controls", "requirement", "organisation", "organization", "company", "currently", "all", "any", "since", "because", "therefore", "why",
})
MIN_CONTENT_WORDS = 3


def justification_problem(text: str | None) -> str | None:
    """Why `text` is not a real justification, or None when it is acceptable."""
    raw = (text or "").strip()
    if not raw:
        return "Required: say why, in a sentence an auditor can check."
    norm = _normalise(raw)
    if norm in PLACEHOLDERS or not re.search(r"[a-z]", norm):
        return f"“{raw}” is a placeholder, not a justification: say why it does not apply."
    words = norm.split()
    content = {w for w in words
               if w not in FILLER_WORDS and w not in STOP_WORDS and not w.isdigit()}
    if not content:
        return f"“{raw[:60]}” is a placeholder, not a justification: say why it does not apply."
    if len(raw) < MIN_LENGTH or len(words) < MIN_WORDS:
        return (f"Too short ({len(words)} word{'s' if len(words) != 1 else ''}, "
                f"{len(raw)} characters): give a reason an auditor can check, in at least "
                f"{MIN_WORDS} words and {MIN_LENGTH} characters.")
    if len(content) < MIN_CONTENT_WORDS:
        # Long enough, but "not needed", "we", "it", "here"… carry no reason: say which words
        # counted, so the person sees what is missing rather than a length they already meet.
        said = " ".join(w for w in dict.fromkeys(words) if w in content)
        return (f"No reason given: apart from words such as “not needed” or “not relevant”, "
                f"it only says “{said}”. Say why it does not apply, e.g. what you do not do "
                f"or what makes it irrelevant (at least {MIN_CONTENT_WORDS} words that carry "
                f"meaning).")
    return None
