"""What a Table Schema `pattern` means here: the whole cell, `\\d` as the ASCII digits 0-9.

frictionless applies a pattern as Python's `re.match("^" + pattern + "$", cell)`, where
`$` also matches before a final newline (`JG000002\\n` passes `^JG[0-9]{6}$`) and `\\d`
matches every Unicode digit (`43０１０４` passes `^43\\d{4}$`). The checked descriptor
carries `whole(pattern)` instead, so that both checking engines and frictionless itself
apply the author's intent; messages show the pattern as written (`written`).
"""

from __future__ import annotations

_END = r"(?![\s\S])"  # the very end of the cell: `$` would also allow a final newline
_OPEN = "(?:"


def ascii_digits(pattern: str) -> str:
    """`pattern` with `\\d` (and `\\D` outside a character class) limited to 0-9."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif nxt == "D" and not in_class:
                out.append("[^0-9]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        out.append(ch)
        i += 1
        if ch == "[" and not in_class:
            in_class = True
            for literal in ("^", "]"):  # `[^]...]`, `[]...]`: the `]` is a member
                if pattern[i : i + 1] == literal:
                    out.append(literal)
                    i += 1
        elif ch == "]" and in_class:
            in_class = False
    return "".join(out)


def whole(pattern: str) -> str:
    """The pattern to give frictionless: ASCII digits, and nothing may follow the match."""
    return f"{_OPEN}{ascii_digits(pattern)}){_END}"


def inner(pattern: str) -> str:
    """The pattern inside `whole()` (for RE2, where `$` already means the end of the text)."""
    if pattern.startswith(_OPEN) and pattern.endswith(")" + _END):
        return pattern[len(_OPEN) : -len(_END) - 1]
    return pattern
