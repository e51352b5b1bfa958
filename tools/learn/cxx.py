"""Just enough of C++'s shape to find a function in a header and swap its body.

The runner needs two things from a header: which function holds an AIO_TODO, and where the same
function is in the learner's copy once the AIO_TODO is gone. Both come from the braces: a header is
masked first (comments, string and character literals, preprocessor lines become blanks of the same
length), so that a brace or a semicolon inside them cannot be mistaken for code; then every `{` is
paired with its `}`, and the text in front of a `{` (back to the previous `;`, `{` or `}`) is the
block's head: `iterator& operator++()` for a function, `class Generator` for a class.

A function is found again by its signature: its head with attributes (`[[maybe_unused]]`) and
spacing taken out, inside the same classes. Not a C++ parser: it is right for the course's headers,
and says so when it cannot be sure (unbalanced braces, two candidates).
"""
import re
from dataclasses import dataclass
from functools import lru_cache

CONTROL = {"if", "for", "while", "switch", "catch", "do", "else", "try", "return", "co_return",
           "co_yield", "co_await", "throw", "case", "default"}


class ShapeError(Exception):
    """The header's braces cannot be paired: no body can be located safely."""


# One pass over the text: each alternative is a token whose inside must not count as code.
_TOKENS = re.compile(r"""
    (?P<directive>^[ \t]*\#(?:[^\n\\]|\\.|\\\n)*)         # a preprocessor line, with continuations
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))               # a comment
  | (?P<raw>(?:u8|[uUL])?R"(?P<delim>[^ ()\\\t\n]{0,16})\(.*?(?:\)(?P=delim)"|\Z))
  | (?P<string>(?:u8|[uUL])?"(?:[^"\\\n]|\\.)*"?)         # a string literal
  | (?P<number>\.?\d(?:[\w.]|'\w|[eEpP][+-])*)            # a number, digit separators included
  | (?P<char>(?:u8|[uUL])?'(?:[^'\\\n]|\\.)*'?)           # a character literal
  | (?P<word>[A-Za-z_]\w*)
""", re.M | re.S | re.X)


def _blank(text):
    return re.sub(r"[^\n]", " ", text)


def _masked(match):
    token = match.group(0)
    if match.group("directive") is not None or match.group("comment") is not None:
        return _blank(token)
    if match.group("raw") is not None or match.group("string") is not None or match.group("char") is not None:
        quote = min(i for i in (token.find('"'), token.find("'")) if i >= 0)
        closed = len(token) > quote + 1 and token[-1] == token[quote]
        end = len(token) - 1 if closed else len(token)
        return token[:quote + 1] + _blank(token[quote + 1:end]) + token[end:]
    return token


def mask(text):
    """The text with comments, literals and preprocessor lines blanked; lengths and newlines kept."""
    return _TOKENS.sub(_masked, text)


@dataclass
class Block:
    open: int                    # offset of `{`
    close: int                   # offset of the matching `}`
    head_start: int              # offset where the head begins
    head: str                    # the head, normalised (see normalise)
    kind: str                    # function, class, namespace or other
    name: str = ""               # Generator, operator++, TaskGroup::State::adopt
    parent: "Block" = None

    def scope(self):
        """The names of the classes around this block, outermost first."""
        names = []
        block = self.parent
        while block is not None:
            if block.kind == "class":
                names.append(block.name)
            block = block.parent
        return tuple(reversed(names))

    def qualified_name(self):
        return "::".join(self.scope() + (self.name,))

    def key(self):
        return self.scope(), self.head


def normalise(head):
    """A head without attributes, access labels or layout: what two copies of a signature share."""
    text = re.sub(r"\[\[.*?\]\]", " ", head, flags=re.S)
    text = re.sub(r"^\s*(?:(?:public|private|protected)\s*:(?!:)\s*)+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    # Spaces next to punctuation carry no meaning: `f( int x )` is `f(int x)`.
    text = re.sub(r"\s*([^\w\s])\s*", r"\1", text)
    return text


def _pairs(masked):
    """{offset of `{`: offset of its `}`}, or ShapeError."""
    stack = []
    pairs = {}
    for i, c in enumerate(masked):
        if c == "{":
            stack.append(i)
        elif c == "}":
            if not stack:
                raise ShapeError(f"line {masked.count(chr(10), 0, i) + 1}: a '}}' closes nothing")
            pairs[stack.pop()] = i
    if stack:
        raise ShapeError(f"line {masked.count(chr(10), 0, stack[-1]) + 1}: this '{{' is never closed")
    return pairs


def _next_significant(masked, i):
    while i < len(masked) and masked[i].isspace():
        i += 1
    return masked[i] if i < len(masked) else ""


def _head_start(masked, brace, floor, opening_of):
    """Where the head of the block opening at `brace` begins: after the previous `;`, `{` or `}`
    at the same level. Braces of a member initialiser (`b_{y},`) belong to the head."""
    depth = 0
    i = brace - 1
    while i >= floor:
        c = masked[i]
        if c in ")]":
            depth += 1
        elif c in "([":
            depth -= 1
            if depth < 0:
                return i + 1
        elif depth == 0 and c in ";{":
            return i + 1
        elif c == "}":
            if depth == 0 and _next_significant(masked, i + 1) not in (",", "{"):
                return i + 1
            i = opening_of[i] - 1
            continue
        i -= 1
    return floor


def _strip_templates(text):
    """The text with template argument lists removed, for finding the parameter list."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"<[^<>{};]*>", " ", text)
    return re.sub(r"\s+::", "::", text)


def _strip_template_prefix(text):
    """`template<class T, class U = std::less<T>> T f()` without its `template<...>` parts."""
    while text.startswith("template<"):
        depth = 0
        for i, c in enumerate(text):
            if c == "<":
                depth += 1
            elif c == ">":
                depth -= 1
                if depth == 0:
                    text = text[i + 1:].lstrip()
                    break
        else:
            return text
    return text


def _classify(head):
    """(kind, name) of a block from its normalised head."""
    text = _strip_template_prefix(head).strip()
    first = re.match(r"[A-Za-z_]\w*", text)
    word = first.group(0) if first else ""
    if word == "namespace" or text == "":
        name = text[len("namespace"):].strip() if word == "namespace" else ""
        return ("namespace" if word == "namespace" else "other"), name
    if word in ("class", "struct", "union") and "(" not in text.split(":")[0]:
        match = re.match(r"(?:class|struct|union)\s*([A-Za-z_]\w*(?:::[A-Za-z_]\w*)*)", text)
        return "class", match.group(1) if match else ""
    if word == "enum" or word in CONTROL or "(" not in text:
        return "other", ""
    operator = re.search(r"((?:[\w~]+(?:<[^()]*?>)?::)*operator\s*(?:\(\)|\[\]|[^\s(\w]+|\s\w[\w:<> ]*?))\s*\(",
                         text)
    if operator:
        return "function", re.sub(r"\s+", " ", operator.group(1)).strip()
    plain = _strip_templates(text)
    if re.search(r"[=\[]", plain.split("(")[0]):  # a lambda, or an initialiser
        return "other", ""
    before = plain.split("(")[0]
    match = re.search(r"((?:[\w~]+::)*~?[A-Za-z_]\w*)\s*$", before)
    if not match or match.group(1) in CONTROL:
        return "other", ""
    return "function", match.group(1)


@lru_cache(maxsize=64)
def blocks(text):
    """Every block of a header, in order of their `{`; ShapeError if its braces do not pair."""
    masked = mask(text)
    pairs = _pairs(masked)
    opening_of = {close: open_ for open_, close in pairs.items()}
    found = []
    stack = []
    for open_ in sorted(pairs):
        while stack and stack[-1].close < open_:
            stack.pop()
        parent = stack[-1] if stack else None
        floor = parent.open + 1 if parent else 0
        start = _head_start(masked, open_, floor, opening_of)
        head = normalise(masked[start:open_])
        kind, name = _classify(head)
        if _inside_function(parent):
            kind = "other"  # a block inside a body (a lambda, an if) is part of that body
        block = Block(open=open_, close=pairs[open_], head_start=start, head=head, kind=kind,
                      name=name, parent=parent)
        found.append(block)
        stack.append(block)
    return found


def _inside_function(block):
    while block is not None:
        if block.kind == "function":
            return True
        block = block.parent
    return False


def enclosing_function(found, offset):
    """The innermost function whose body holds `offset`, or None."""
    best = None
    for block in found:
        if block.kind == "function" and block.open < offset < block.close:
            if best is None or block.open > best.open:
                best = block
    return best


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def body(text, block):
    """The text between the block's braces."""
    return text[block.open + 1:block.close]


def first_body_line(text, block):
    """The line where the body's first statement is (the brace's line if the body is empty)."""
    inside = body(text, block)
    stripped = len(inside) - len(inside.lstrip())
    if inside.strip():
        return line_of(text, block.open + 1 + stripped)
    return line_of(text, block.open)


def find_same(found, wanted):
    """The learner's block that is the stub's function `wanted`: (block, how) or (None, reason).

    First by signature (same classes around it, same head once normalised); else, when the
    signature was edited, by name if exactly one function of that name sits in those classes."""
    functions = [b for b in found if b.kind == "function"]
    same = [b for b in functions if b.key() == wanted.key()]
    if len(same) == 1:
        return same[0], "signature"
    if len(same) > 1:
        return None, f"{len(same)} functions have the signature of {wanted.qualified_name()}"
    named = [b for b in functions if b.scope() == wanted.scope() and b.name == wanted.name]
    if len(named) == 1:
        return named[0], "name"
    if named:
        return None, (f"{len(named)} functions are called {wanted.qualified_name()}, and none has "
                      f"the stub's signature")
    return None, f"no function {wanted.qualified_name()} with the stub's signature"
