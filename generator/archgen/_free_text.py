"""Free text from the answers (project name, descriptions) and how it lands in generated files.

Names are identifiers and checked as such (``_names``); free text is anything a person may
write in one line. Two guards keep it from changing what a generated file means:

- on the way in, ``check_free_text`` refuses what has no place in one line of text: line
  breaks and other control characters, and the bidirectional overrides that make source read
  differently from how it runs ("Trojan Source");
- on the way out, every template puts free text through a filter made for where it lands:
  ``string_literal`` in TOML, YAML or JSON, ``python_constant`` and ``docstring`` in Python
  (wrapped to the line length; characters beyond Latin-1 letters as ``\\u`` escapes, which
  read back the same). Quotes and backslashes in an answer stay text; they never
  close a string.
"""

from __future__ import annotations

import json
import unicodedata

# The generated projects' ruff line length.
LINE_LENGTH = 100
# Latin-1 letters (é, ñ, ß, Æ...) stay as they are in Python source; ruff finds none ambiguous.
_LATIN_1_LETTERS = ("\u00c0", "\u00ff")
# Embedding and override marks of the Unicode bidirectional algorithm (CVE-2021-42574).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters, line and paragraph separators, surrogates. Format characters such as
# the zero-width joiner stay allowed: emoji and many scripts need them.
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})
_UNNAMED = {"Cc": "a control character", "Cs": "half of a surrogate pair"}


def check_free_text(text: str, *, max_length: int) -> str:
    """``text`` if it is one line of at most ``max_length`` printable characters.

    Raises ValueError naming the first character that is not allowed, by code point.
    """
    if len(text) > max_length:
        raise ValueError(f"is {len(text)} characters long; at most {max_length} are allowed")
    for character in text:
        if character in _BIDI_CONTROLS or unicodedata.category(character) in _REFUSED_CATEGORIES:
            name = unicodedata.name(character, "") or _UNNAMED[unicodedata.category(character)]
            raise ValueError(
                f"contains U+{ord(character):04X} ({name}); write it as one line of printable text"
            )
    return text


def check_project_name(name: str) -> str:
    """A project name for people: not blank, one line, at most 80 characters."""
    if not name.strip():
        raise ValueError("must not be empty")
    return check_free_text(name, max_length=80)


def check_description(description: str) -> str:
    """The business goal in one sentence: one line, at most 300 characters."""
    return check_free_text(description, max_length=300)


def string_literal(text: str) -> str:
    """``text`` as a double-quoted string that TOML, YAML and JSON all read back unchanged."""
    return json.dumps(text, ensure_ascii=False)


def python_constant(text: str, name: str) -> str:
    """A module-level ``name = "text"``, split into adjacent literals when too long."""
    words = _python_words(text)
    one_line = f'{name} = "{" ".join(words)}"'
    if len(one_line) <= LINE_LENGTH:
        return one_line
    lines = _packed(words, first_width=LINE_LENGTH - 6, width=LINE_LENGTH - 6)
    parts = [f'    "{line} "' for line in lines[:-1]] + [f'    "{lines[-1]}"']
    return "\n".join([f"{name} = (", *parts, ")"])


def docstring(text: str, indent: int = 0) -> str:
    """``text`` as a docstring for a block at ``indent``, wrapped to the line length."""
    words = _python_words(text)
    one_line = f'"""{" ".join(words)}"""'
    if indent + len(one_line) <= LINE_LENGTH:
        return one_line
    lines = _packed(words, first_width=LINE_LENGTH - indent - 3, width=LINE_LENGTH - indent)
    return ("\n" + " " * indent).join([f'"""{lines[0]}', *lines[1:], '"""'])


def _python_words(text: str) -> list[str]:
    """``text`` split at spaces, each word escaped for a Python string or docstring."""
    return ["".join(_python_character(c) for c in word) for word in text.split(" ")]


def _python_character(character: str) -> str:
    """Quotes and backslashes escaped, and anything beyond ASCII and Latin-1 letters as a
    ``\\u`` escape: ruff refuses characters that look like others (RUF001-RUF003)."""
    if character in '\\"':
        return "\\" + character
    if character.isascii() or (
        _LATIN_1_LETTERS[0] <= character <= _LATIN_1_LETTERS[1] and character.isalpha()
    ):
        return character
    return character.encode("unicode_escape").decode("ascii")


def _packed(words: list[str], *, first_width: int, width: int) -> list[str]:
    """Words joined by single spaces into lines of at most ``width`` (the first
    ``first_width``); a word longer than a line gets a line of its own."""
    lines: list[str] = []
    current: list[str] = []
    for word in words:
        limit = first_width if not lines else width
        if current and len(" ".join([*current, word])) + 1 > limit:
            lines.append(" ".join(current))
            current = []
        current.append(word)
    lines.append(" ".join(current))
    return lines
