"""A small, standard-library-only stand-in for the parts of Hydra the demo runners use.

It is not Hydra. It reproduces, closely enough to test a command builder against:

* the override grammar of Hydra 1.3 (key=value, +key=value, ++key=value, ~key,
  group/option=name, quoting with "..." or '...', escapes, lists, dicts, casts,
  and the "Ambiguous value" error for sweeps in a plain run);
* composition of the configs/ tree through defaults lists and @package headers;
* struct-mode checks (overriding a key that does not exist is an error);
* ${...} interpolation with the oc.env, hydra and now resolvers;
* the run folder with its .hydra/{config,hydra,overrides}.yaml record;
* --multirun over comma lists, choice() and range(), as Hydra's basic sweeper and
  launcher run them (in _hydra_multirun.py).

YAML is read with a reader for the subset the demo configs use (block and flow
collections, plain and quoted scalars, comments, anchors and aliases, block
scalars) and written with a matching small emitter.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import signal
import sys
import time

__all__ = [
    "HydraError",
    "TaskError",
    "Override",
    "parse_override",
    "load_yaml",
    "dump_yaml",
    "run",
]


class HydraError(Exception):
    """An error Hydra would report before the task runs (exit code 1)."""


class TaskError(Exception):
    """An exception raised inside the task, reported like Hydra does (exit code 1)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


# --------------------------------------------------------------------------------------
# YAML subset reader
# --------------------------------------------------------------------------------------


class YamlError(ValueError):
    pass


_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}
_FALSES = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}
_YAML_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)\Z")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?\Z")


def _plain_scalar(text: str):
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if _YAML_INT.match(text):
        return int(text.replace("_", ""))
    if _YAML_FLOAT.match(text) and any(c in text for c in ".eE"):
        return float(text.replace("_", ""))
    low = text.lower()
    if low in (".inf", "+.inf"):
        return math.inf
    if low == "-.inf":
        return -math.inf
    if low == ".nan":
        return math.nan
    return text


_DQ_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
    "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}


def _read_quoted(s: str, pos: int, where: str):
    """Read a quoted scalar starting at s[pos]; return (text, position after it)."""
    quote = s[pos]
    out = []
    i = pos + 1
    while i < len(s):
        c = s[i]
        if quote == "'":
            if c == "'":
                if i + 1 < len(s) and s[i + 1] == "'":
                    out.append("'")
                    i += 2
                    continue
                return "".join(out), i + 1
            out.append(c)
            i += 1
        else:
            if c == '"':
                return "".join(out), i + 1
            if c == "\\":
                if i + 1 >= len(s):
                    break
                e = s[i + 1]
                if e in "xuU":
                    width = {"x": 2, "u": 4, "U": 8}[e]
                    digits = s[i + 2:i + 2 + width]
                    if len(digits) != width:
                        raise YamlError(f"{where}: bad escape \\{e}{digits}")
                    out.append(chr(int(digits, 16)))
                    i += 2 + width
                    continue
                if e not in _DQ_ESCAPES:
                    raise YamlError(f"{where}: unknown escape \\{e}")
                out.append(_DQ_ESCAPES[e])
                i += 2
                continue
            out.append(c)
            i += 1
    raise YamlError(f"{where}: unterminated quoted scalar (multi-line quoted scalars are not supported)")


def _strip_comment(s: str) -> str:
    """Drop a trailing comment, ignoring '#' inside quoted scalars."""
    i = 0
    n = len(s)
    prev = " "
    while i < n:
        c = s[i]
        if c in "'\"" and (prev in " \t[{,:-" or i == 0):
            try:
                _, i = _read_quoted(s, i, "")
            except YamlError:
                return s
            prev = c
            continue
        if c == "#" and prev in " \t":
            return s[:i]
        prev = c
        i += 1
    return s


def _split_key(content: str):
    """If the line is `key: rest` (or `key:`), return (key, rest); else None."""
    if not content or _is_seq_line(content) or content[0] in "[{#&*!|>%@`":
        return None
    if content[0] in "'\"":
        try:
            key, end = _read_quoted(content, 0, "")
        except YamlError:
            return None
        rest = content[end:]
        if rest.startswith(":") and (len(rest) == 1 or rest[1] in " \t"):
            return key, rest[1:]
        return None
    i = 0
    while True:
        i = content.find(":", i)
        if i < 0:
            return None
        if i + 1 == len(content) or content[i + 1] in " \t":
            key = content[:i].rstrip()
            if not key:
                return None
            return key, content[i + 1:]
        i += 1


def _is_seq_line(content: str) -> bool:
    return content == "-" or content.startswith("- ")


class _YamlReader:
    def __init__(self, text: str, name: str):
        self.name = name
        self.anchors: dict[str, object] = {}
        self.lines: list[list] = []
        for number, raw in enumerate(text.splitlines(), 1):
            stripped = raw.lstrip(" ")
            if stripped.startswith("\t"):
                raise YamlError(f"{name}:{number}: tabs are not allowed for indentation")
            indent = len(raw) - len(stripped)
            content = _strip_comment(stripped).rstrip()
            if indent == 0 and content in ("---", "..."):
                content = ""
            self.lines.append([number, indent, content, raw])

    def where(self, i: int) -> str:
        number = self.lines[i][0] if i < len(self.lines) else len(self.lines)
        return f"{self.name}:{number}"

    def skip_blank(self, i: int) -> int:
        while i < len(self.lines) and self.lines[i][2] == "":
            i += 1
        return i

    def parse(self):
        i = self.skip_blank(0)
        if i >= len(self.lines):
            return None
        value, i = self.block(i, 0)
        i = self.skip_blank(i)
        if i < len(self.lines):
            raise YamlError(f"{self.where(i)}: unexpected content (bad indentation?)")
        return value

    def block(self, i: int, min_indent: int):
        i = self.skip_blank(i)
        if i >= len(self.lines):
            return None, i
        _, indent, content, _ = self.lines[i]
        if indent < min_indent:
            return None, i
        if _is_seq_line(content):
            return self.sequence(i, indent)
        if _split_key(content) is not None:
            return self.mapping(i, indent)
        value, _ = self.value(content, i + 1, indent - 1, i, allow_same_indent_seq=False)
        return value, i + 1

    def mapping(self, i: int, indent: int):
        result: dict = {}
        while True:
            i = self.skip_blank(i)
            if i >= len(self.lines):
                break
            _, ind, content, _ = self.lines[i]
            if ind < indent:
                break
            if ind > indent:
                raise YamlError(f"{self.where(i)}: unexpected indentation")
            kv = _split_key(content)
            if kv is None:
                if _is_seq_line(content):
                    break
                raise YamlError(f"{self.where(i)}: expected 'key: value'")
            key, rest = kv
            if key in result:
                raise YamlError(f"{self.where(i)}: duplicate key '{key}'")
            value, i = self.value(rest, i + 1, indent, i, allow_same_indent_seq=True)
            result[key] = value
        return result, i

    def sequence(self, i: int, indent: int):
        result: list = []
        while True:
            i = self.skip_blank(i)
            if i >= len(self.lines):
                break
            number, ind, content, raw = self.lines[i]
            if ind < indent or (ind == indent and not _is_seq_line(content)):
                break
            if ind > indent:
                raise YamlError(f"{self.where(i)}: unexpected indentation")
            rest = content[1:]
            item = rest.lstrip(" ")
            if item and (_is_seq_line(item) or (_split_key(item) is not None and item[0] not in "&*!")):
                new_indent = ind + 1 + (len(rest) - len(item))
                self.lines[i] = [number, new_indent, item, raw]
                value, i = self.block(i, new_indent)
            else:
                value, i = self.value(item, i + 1, indent, i, allow_same_indent_seq=False)
            result.append(value)
        return result, i

    def value(self, rest: str, i: int, parent_indent: int, line_index: int, allow_same_indent_seq: bool):
        """Parse the value after 'key:' or '- '; lines from i on may hold a nested block."""
        rest = rest.strip()
        anchor = None
        if rest.startswith("&"):
            parts = rest.split(None, 1)
            anchor = parts[0][1:]
            rest = parts[1] if len(parts) > 1 else ""
        if rest.startswith("!"):
            parts = rest.split(None, 1)
            rest = parts[1] if len(parts) > 1 else ""
        if rest == "":
            j = self.skip_blank(i)
            value = None
            if j < len(self.lines):
                _, ind, content, _ = self.lines[j]
                if ind > parent_indent or (allow_same_indent_seq and ind == parent_indent and _is_seq_line(content)):
                    value, i = self.block(j, ind)
        elif rest[0] in "|>":
            value, i = self.block_scalar(rest, i, parent_indent, line_index)
        else:
            value = self.inline(rest, line_index)
        if anchor:
            self.anchors[anchor] = value
        return value, i

    def block_scalar(self, header: str, i: int, parent_indent: int, line_index: int):
        style = header[0]
        chomp = "clip"
        for c in header[1:].strip():
            if c == "-":
                chomp = "strip"
            elif c == "+":
                chomp = "keep"
            elif not c.isdigit():
                raise YamlError(f"{self.where(line_index)}: bad block scalar header '{header}'")
        block_indent = None
        collected: list[str] = []
        j = i
        while j < len(self.lines):
            raw = self.lines[j][3]
            if raw.strip() == "":
                collected.append("")
                j += 1
                continue
            ind = len(raw) - len(raw.lstrip(" "))
            if block_indent is None:
                if ind <= parent_indent:
                    break
                block_indent = ind
            if ind < block_indent:
                break
            collected.append(raw[block_indent:])
            j += 1
        # trailing blank lines belong to the chomping, not to the next node
        trailing = 0
        while collected and collected[-1] == "":
            collected.pop()
            trailing += 1
        if style == "|":
            text = "\n".join(collected)
        else:
            pieces: list[str] = []
            for line in collected:
                if line == "":
                    pieces.append("\n")
                elif line.startswith((" ", "\t")):
                    pieces.append(("\n" if pieces and pieces[-1] != "\n" else "") + line + "\n")
                else:
                    if pieces and pieces[-1] not in ("\n",) and not pieces[-1].endswith("\n"):
                        pieces.append(" ")
                    pieces.append(line)
            text = "".join(pieces)
        if collected:
            if chomp == "clip":
                text = text.rstrip("\n") + "\n"
            elif chomp == "strip":
                text = text.rstrip("\n")
            else:
                text = text + "\n" * (1 + trailing)
        return text, j

    def inline(self, text: str, line_index: int):
        where = self.where(line_index)
        value, pos = self.flow_node(text, 0, where, top=True)
        pos = _skip_ws(text, pos)
        if pos != len(text):
            raise YamlError(f"{where}: unexpected text after value: {text[pos:]!r}")
        return value

    def flow_node(self, s: str, pos: int, where: str, top: bool = False, in_map_key: bool = False):
        pos = _skip_ws(s, pos)
        if pos >= len(s):
            return None, pos
        c = s[pos]
        if c == "&":
            m = re.compile(r"&([^\s,\[\]{}]+)").match(s, pos)
            value, pos = self.flow_node(s, m.end(), where, top)
            self.anchors[m.group(1)] = value
            return value, pos
        if c == "*":
            m = re.compile(r"\*([^\s,\[\]{}]+)").match(s, pos)
            name = m.group(1)
            if name not in self.anchors:
                raise YamlError(f"{where}: unknown alias *{name}")
            return self.anchors[name], m.end()
        if c in "'\"":
            return _read_quoted(s, pos, where)
        if c == "[":
            items = []
            pos += 1
            while True:
                pos = _skip_ws(s, pos)
                if pos >= len(s):
                    raise YamlError(f"{where}: unterminated flow sequence")
                if s[pos] == "]":
                    return items, pos + 1
                item, pos = self.flow_node(s, pos, where)
                items.append(item)
                pos = _skip_ws(s, pos)
                if pos < len(s) and s[pos] == ",":
                    pos += 1
                elif pos < len(s) and s[pos] == "]":
                    continue
                else:
                    raise YamlError(f"{where}: expected ',' or ']' in flow sequence")
        if c == "{":
            mapping: dict = {}
            pos += 1
            while True:
                pos = _skip_ws(s, pos)
                if pos >= len(s):
                    raise YamlError(f"{where}: unterminated flow mapping")
                if s[pos] == "}":
                    return mapping, pos + 1
                key, pos = self.flow_node(s, pos, where, in_map_key=True)
                pos = _skip_ws(s, pos)
                value = None
                if pos < len(s) and s[pos] == ":":
                    value, pos = self.flow_node(s, pos + 1, where)
                    pos = _skip_ws(s, pos)
                mapping[str(key) if not isinstance(key, str) else key] = value
                if pos < len(s) and s[pos] == ",":
                    pos += 1
                elif pos < len(s) and s[pos] == "}":
                    continue
                else:
                    raise YamlError(f"{where}: expected ',' or '}}' in flow mapping")
        # plain scalar
        start = pos
        if top:
            end = len(s)
            if re.search(r":(\s|$)", s[start:]) and not s[start:].startswith(("http://", "https://")):
                raise YamlError(f"{where}: a plain scalar may not contain ': '")
        else:
            end = pos
            while end < len(s):
                ch = s[end]
                if ch in ",[]{}":
                    break
                if ch == ":" and (end + 1 == len(s) or s[end + 1] in " \t,[]{}") and in_map_key:
                    break
                end += 1
        return _plain_scalar(s[start:end].strip()), end


def _skip_ws(s: str, pos: int) -> int:
    while pos < len(s) and s[pos] in " \t":
        pos += 1
    return pos


_PACKAGE_HEADER = re.compile(r"#\s*@package\s+(\S+)")


def load_yaml(text: str, name: str = "<yaml>"):
    """Parse YAML text; return (data, package header or None)."""
    package = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _PACKAGE_HEADER.match(stripped)
        if m:
            package = m.group(1)
            break
    return _YamlReader(text, name).parse(), package


def load_yaml_file(path: str):
    with open(path, encoding="utf-8") as fh:
        return load_yaml(fh.read(), path)


# --------------------------------------------------------------------------------------
# YAML emitter
# --------------------------------------------------------------------------------------

# What a YAML 1.1 reader (PyYAML's resolver, and OmegaConf's float resolver on top of it)
# would take as something other than a string when written plain.
_YAML11_BOOL = re.compile(r"(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)\Z")
_YAML11_INT = re.compile(
    r"(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)\Z")
_YAML11_FLOAT = re.compile(
    r"(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z")
_YAML11_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_YAML11_TIMESTAMP = re.compile(
    r"(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
    r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
    r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\Z")
# OmegaConf's dumper quotes these strings itself (yaml_is_bool, is_int, is_float).
_OMEGACONF_BOOL = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
                   "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"}


def _python_number(text: str) -> bool:
    for convert in (int, float):
        try:
            convert(text)
            return True
        except ValueError:
            pass
    return False


def _reads_as_other_type(text: str) -> bool:
    """True when a YAML 1.1 reader would not read @text, written plain, as this string."""
    return bool(
        text in _OMEGACONF_BOOL
        or _python_number(text)
        or _YAML11_BOOL.match(text)
        or _YAML11_INT.match(text)
        or _YAML11_FLOAT.match(text)
        or _YAML11_NULL.match(text)
        or _YAML11_TIMESTAMP.match(text)
        or text in ("<<", "=")
    )


def _plain_allowed(text: str) -> bool:
    """PyYAML's analysis of a scalar, for the block context: may it be written plain?"""
    if text == "" or text != text.strip(" ") or text.startswith(("---", "...")):
        return False
    first = text[0]
    if first in "#,[]{}&*!|>'\"%@`":
        return False
    if first in "?:-" and (len(text) == 1 or text[1] in " \t"):
        return False
    if ": " in text or text.endswith(":") or " #" in text or "\t#" in text:
        return False
    if "\t" in text:
        return False
    return True


def _quote_string(text: str) -> str:
    """PyYAML's choice for a string: plain when it reads back as itself, else '...'
    (OmegaConf asks for single quotes); "..." when single quotes cannot hold it."""
    special = any(ord(c) < 32 or ord(c) == 127 or 0x80 <= ord(c) < 0xA0 or c in "\ufeff\u2028\u2029"
                  for c in text)
    if special:
        return json.dumps(text, ensure_ascii=False)
    if not _reads_as_other_type(text) and _plain_allowed(text):
        return text
    return "'" + text.replace("'", "''") + "'"


def _scalar_text(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value).lower()
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)
        return text
    return _quote_string(str(value))


def _dump(value, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            k = _scalar_text(str(key))
            if isinstance(item, dict) and item:
                out.append(f"{pad}{k}:")
                _dump(item, indent + 2, out)
            elif isinstance(item, list) and item:
                out.append(f"{pad}{k}:")
                _dump(item, indent, out)
            else:
                out.append(f"{pad}{k}: {_inline(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                sub: list[str] = []
                _dump(item, indent + 2, sub)
                out.append(f"{pad}- {sub[0].lstrip()}")
                out.extend(sub[1:])
            elif isinstance(item, list) and item:
                sub = []
                _dump(item, indent + 2, sub)
                out.append(f"{pad}- {sub[0].lstrip()}")
                out.extend(sub[1:])
            else:
                out.append(f"{pad}- {_inline(item)}")
    else:
        out.append(pad + _inline(value))


def _inline(value) -> str:
    if isinstance(value, dict):
        return "{}" if not value else "{" + ", ".join(f"{_scalar_text(str(k))}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return _scalar_text(value)


def dump_yaml(value) -> str:
    if (isinstance(value, (dict, list)) and not value) or not isinstance(value, (dict, list)):
        return _inline(value) + "\n"
    out: list[str] = []
    _dump(value, 0, out)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------
# Override grammar (Hydra 1.3)
# --------------------------------------------------------------------------------------

_INT_U = r"(?:0|[1-9](?:_?[0-9])*)"
_DIGITS = r"[0-9](?:_?[0-9])*"
_POINT_FLOAT = rf"(?:{_INT_U}?\.{_DIGITS}|{_INT_U}\.)"
_FLOAT = rf"[+-]?(?:(?:{_POINT_FLOAT}|{_INT_U})[eE][+-]?{_DIGITS}|{_POINT_FLOAT}|[Ii][Nn][Ff]|[Nn][Aa][Nn])"

# Value-mode tokens in the lexer's order; the longest match wins, ties go to the earlier rule.
_VALUE_TOKENS = [
    ("POPEN", re.compile(r"[ \t]*\([ \t]*")),
    ("COMMA", re.compile(r"[ \t]*,[ \t]*")),
    ("PCLOSE", re.compile(r"[ \t]*\)")),
    ("BOPEN", re.compile(r"\[[ \t]*")),
    ("BCLOSE", re.compile(r"[ \t]*\]")),
    ("COPEN", re.compile(r"\{[ \t]*")),
    ("CCLOSE", re.compile(r"[ \t]*\}")),
    ("COLON", re.compile(r"[ \t]*:[ \t]*")),
    ("EQUAL", re.compile(r"[ \t]*=[ \t]*")),
    ("FLOAT", re.compile(_FLOAT)),
    ("INT", re.compile(rf"[+-]?{_INT_U}")),
    ("BOOL", re.compile(r"(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])")),
    ("NULL", re.compile(r"[Nn][Uu][Ll][Ll]")),
    ("UNQUOTED", re.compile(r"[/\-\\+.$%*@?|]")),
    ("ID", re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")),
    ("ESC", re.compile(r"(?:\\\\|\\[(),\[\]{}:= \t])+")),
    ("WS", re.compile(r"[ \t]+")),
]

_PRIMITIVE_TOKENS = {"ID", "NULL", "INT", "FLOAT", "BOOL", "INTERP", "UNQUOTED", "COLON", "ESC", "WS"}
_TOKEN_NAMES = {
    "POPEN": "'('", "COMMA": "','", "PCLOSE": "')'", "BOPEN": "'['", "BCLOSE": "']'",
    "COPEN": "'{'", "CCLOSE": "'}'", "COLON": "':'", "EQUAL": "'='",
}


class _Tok:
    __slots__ = ("kind", "text", "value", "pos")

    def __init__(self, kind, text, value, pos):
        self.kind, self.text, self.value, self.pos = kind, text, value, pos

    def __repr__(self):
        return f"{self.kind}({self.text!r})"


class _Sweep:
    def __init__(self, items, form):
        self.items, self.form = items, form


def _lex_quoted(s: str, pos: int):
    """Lex a quoted value at s[pos]; return (decoded text, end) or None if it never closes."""
    quote = s[pos]
    out = []
    i = pos + 1
    while i < len(s):
        c = s[i]
        if c == "\\":
            j = i
            while j < len(s) and s[j] == "\\":
                j += 1
            run = j - i
            if j < len(s) and s[j] == quote:
                out.append("\\" * (run // 2))
                if run % 2:
                    out.append(quote)
                    i = j + 1
                    continue
                return "".join(out), j + 1
            out.append("\\" * run)
            i = j
            continue
        if c == quote:
            return "".join(out), i + 1
        out.append(c)
        i += 1
    return None


def _lex_interpolation(s: str, pos: int):
    """Lex ${...} (with nested ${...}) at s[pos]; return the end or None."""
    depth = 0
    i = pos
    while i < len(s):
        if s.startswith("${", i):
            depth += 1
            i += 2
            continue
        if s[i] == "}":
            depth -= 1
            i += 1
            if depth == 0:
                return i
            continue
        if s[i] in "'\"":
            i += 1
            continue
        i += 1
    return None


def _lex_value(s: str, offset: int):
    tokens = []
    pos = 0
    while pos < len(s):
        c = s[pos]
        if c in "'\"":
            lexed = _lex_quoted(s, pos)
            if lexed is None:
                raise _ParseError(f"token recognition error at: '{c}'")
            text, end = lexed
            tokens.append(_Tok("QUOTED", s[pos:end], text, offset + pos))
            pos = end
            continue
        if s.startswith("${", pos):
            end = _lex_interpolation(s, pos)
            if end is not None:
                tokens.append(_Tok("INTERP", s[pos:end], s[pos:end], offset + pos))
                pos = end
                continue
        best = None
        for kind, rx in _VALUE_TOKENS:
            m = rx.match(s, pos)
            if m and m.end() > pos and (best is None or m.end() > best[1].end()):
                best = (kind, m)
        if best is None:
            raise _ParseError(f"token recognition error at: '{c}'")
        kind, m = best
        tokens.append(_Tok(kind, m.group(0), None, offset + pos))
        pos = m.end()
    return tokens


class _ParseError(Exception):
    pass


class _ValueParser:
    def __init__(self, tokens):
        self.toks = tokens
        self.i = 0

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def kind(self, k=0):
        t = self.peek(k)
        return t.kind if t else "EOF"

    def mismatch(self, expecting: str):
        t = self.peek()
        shown = "<EOF>" if t is None else t.text.strip() or t.text
        raise _ParseError(f"mismatched input '{shown}' expecting {expecting}")

    def parse(self):
        if not self.toks:
            return ""
        first = self.element()
        items = [first]
        while self.kind() == "COMMA":
            self.i += 1
            items.append(self.element())
        if self.kind() != "EOF":
            self.mismatch("<EOF>")
        if len(items) > 1:
            return _Sweep(items, "simple")
        return first

    def element(self):
        k = self.kind()
        if k == "ID" and self.kind(1) == "POPEN":
            return self.function()
        if k == "BOPEN":
            return self.list_value()
        if k == "COPEN":
            return self.dict_value()
        return self.primitive()

    def function(self):
        name = self.peek().text
        self.i += 2
        args, kwargs = [], {}
        if self.kind() != "PCLOSE":
            while True:
                if self.kind() == "ID" and self.kind(1) == "EQUAL":
                    arg_name = self.peek().text
                    self.i += 2
                    kwargs[arg_name] = self.element()
                else:
                    args.append(self.element())
                if self.kind() == "COMMA":
                    self.i += 1
                    continue
                break
        if self.kind() != "PCLOSE":
            self.mismatch("')'")
        self.i += 1
        return _call_function(name, args, kwargs)

    def list_value(self):
        self.i += 1
        items = []
        if self.kind() != "BCLOSE":
            while True:
                items.append(self.element())
                if self.kind() == "COMMA":
                    self.i += 1
                    continue
                break
        if self.kind() != "BCLOSE":
            self.mismatch("{',', ']'}")
        self.i += 1
        return items

    def dict_value(self):
        self.i += 1
        result = {}
        if self.kind() != "CCLOSE":
            while True:
                key_parts = []
                while self.kind() in ("ID", "INT", "FLOAT", "BOOL", "NULL", "UNQUOTED", "ESC", "WS"):
                    t = self.peek()
                    key_parts.append(t.text[1::2] if t.kind == "ESC" else t.text)
                    self.i += 1
                if not key_parts:
                    self.mismatch("a dictionary key")
                if self.kind() != "COLON":
                    self.mismatch("':'")
                self.i += 1
                result["".join(key_parts).strip()] = self.element()
                if self.kind() == "COMMA":
                    self.i += 1
                    continue
                break
        if self.kind() != "CCLOSE":
            self.mismatch("{',', '}'}")
        self.i += 1
        return result

    def primitive(self):
        if self.kind() == "QUOTED":
            t = self.peek()
            self.i += 1
            return t.value
        parts = []
        while self.kind() in _PRIMITIVE_TOKENS:
            parts.append(self.peek())
            self.i += 1
        if not parts:
            self.mismatch("a value")
        # leading and trailing whitespace is dropped
        while parts and parts[0].kind == "WS":
            parts.pop(0)
        while parts and parts[-1].kind == "WS":
            parts.pop()
        if not parts:
            return ""
        if len(parts) == 1:
            t = parts[0]
            if t.kind == "INT":
                return int(t.text.replace("_", ""))
            if t.kind == "FLOAT":
                return float(t.text.replace("_", ""))
            if t.kind == "BOOL":
                return t.text.lower() == "true"
            if t.kind == "NULL":
                return None
            if t.kind == "ESC":
                return t.text[1::2]
            return t.text.strip() if t.kind == "COLON" else t.text
        text = "".join(t.text[1::2] if t.kind == "ESC" else t.text for t in parts)
        return text


def _cast(fn, value):
    if isinstance(value, list):
        return [_cast(fn, v) for v in value]
    if isinstance(value, dict):
        return {k: _cast(fn, v) for k, v in value.items()}
    return fn(value)


def _to_bool(v):
    if isinstance(v, str):
        if v.lower() in ("true", "1", "yes"):
            return True
        if v.lower() in ("false", "0", "no"):
            return False
        raise _ParseError(f"Cannot cast '{v}' to bool")
    return bool(v)


def _to_str(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


def _call_function(name, args, kwargs):
    casts = {"str": _to_str, "int": lambda v: int(float(v)) if isinstance(v, str) and "." in v else int(v),
             "float": float, "bool": _to_bool}
    if name in casts:
        if len(args) != 1 or kwargs:
            raise _ParseError(f"{name}() takes exactly one argument")
        value = args[0]
        if isinstance(value, _Sweep):
            return _Sweep([_cast(casts[name], v) for v in value.items], value.form)
        try:
            return _cast(casts[name], value)
        except (TypeError, ValueError) as exc:
            raise _ParseError(f"Error casting with {name}(): {exc}") from None
    if name in ("choice", "range", "interval", "glob", "shuffle", "sort", "tag"):
        return _Sweep(list(args), name)
    raise _ParseError(
        f"Unknown function '{name}'\nAvailable: bool,choice,float,glob,int,interval,range,shuffle,sort,str,tag"
    )


_KEY_SEGMENT = r"(?:[A-Za-z_$][A-Za-z0-9_\-$]*|0|[1-9][0-9]*)"
_KEY_RE = re.compile(
    rf"(?P<key>[A-Za-z_][A-Za-z0-9_\-]*(?:/[A-Za-z_][A-Za-z0-9_\-]*)+|{_KEY_SEGMENT}(?:\.{_KEY_SEGMENT})*)"
    rf"(?:@(?P<pkg>[A-Za-z0-9_$.\-:]*))?\Z"
)
_KEY_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-$./@:")


class Override:
    """One parsed command-line override."""

    def __init__(self, raw, kind, key, package, value, has_value):
        self.raw = raw
        self.kind = kind            # CHANGE, ADD, FORCE_ADD or DEL
        self.key = key              # without +, ++, ~ and without @package
        self.package = package
        self.value = value
        self.has_value = has_value
        self.is_group = False       # decided against the configs/ tree

    @property
    def is_sweep(self):
        return isinstance(self.value, _Sweep)

    def type_name(self):
        return type(self.value).__name__

    def describe(self) -> str:
        if self.is_group:
            what = f"{self.value!r} (config group)" if self.has_value else "(config group)"
        elif self.kind == "DEL" and not self.has_value:
            what = "(delete)"
        else:
            what = f"{self.value!r} ({self.type_name()})"
        key = self.key + (f"@{self.package}" if self.package else "")
        return f"{self.kind:<9} {key} = {what}"

    def __repr__(self):
        return f"Override({self.raw!r})"


def parse_override(raw: str) -> Override:
    """Parse one argv element the way Hydra's override parser does."""
    try:
        return _parse_override(raw)
    except _ParseError as exc:
        raise HydraError(
            f"Error parsing override '{raw}'\n{exc}\n"
            "See https://hydra.cc/docs/advanced/override_grammar/basic for details"
        ) from None


def _parse_override(raw: str) -> Override:
    s = raw
    kind = "CHANGE"
    if s.startswith("~"):
        kind, s = "DEL", s[1:]
    elif s.startswith("++"):
        kind, s = "FORCE_ADD", s[2:]
    elif s.startswith("+"):
        kind, s = "ADD", s[1:]
    eq = s.find("=")
    key_text = s if eq < 0 else s[:eq]
    if key_text == "":
        if raw == "":
            raise _ParseError("mismatched input '<EOF>' expecting {EQUAL, '~', '+', '@', KEY_SPECIAL, DOT_PATH, ID}")
        raise _ParseError(f"mismatched input '{s[:1] or '<EOF>'}' expecting {{KEY_SPECIAL, DOT_PATH, ID}}")
    for c in key_text:
        if c not in _KEY_CHARS:
            raise _ParseError(f"token recognition error at: '{c}'")
    m = _KEY_RE.match(key_text)
    if not m:
        raise _ParseError(f"no viable alternative at input '{key_text}'")
    key, package = m.group("key"), m.group("pkg")
    if eq < 0:
        if kind == "DEL":
            return Override(raw, kind, key, package, None, False)
        raise _ParseError("missing EQUAL at '<EOF>'")
    value_text = s[eq + 1:].lstrip(" \t")
    offset = len(raw) - len(value_text)
    value = _ValueParser(_lex_value(value_text, offset)).parse()
    return Override(raw, kind, key, package, value, True)


def ambiguous_sweep_message(raw: str) -> str:
    return (
        f"Ambiguous value for argument '{raw}'\n"
        "1. To use it as a list, use key=[value1,value2]\n"
        "2. To use it as string, quote the value: key=\\'value1,value2\\'\n"
        "3. To sweep over it, add --multirun to your command line"
    )


def sweep_message(ov: "Override") -> str:
    if ov.value.form == "simple":
        return ambiguous_sweep_message(ov.raw)
    return f"Sweep parameters '{ov.raw}' requires --multirun"


# --------------------------------------------------------------------------------------
# Composition
# --------------------------------------------------------------------------------------


def _deep_merge(dst: dict, src: dict) -> dict:
    for key, value in src.items():
        if isinstance(value, dict) and isinstance(dst.get(key), dict):
            _deep_merge(dst[key], value)
        else:
            dst[key] = copy.deepcopy(value)
    return dst


def _node_at(root: dict, package: str) -> dict:
    node = root
    if not package:
        return node
    for part in package.split("."):
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    return node


# Hydra's own config groups (in Hydra's package, hydra.conf, and in its ConfigStore): they
# exist even when the project has no such folder, and only shape the hydra node.
_HYDRA_LOGGING_DEFAULT = {
    "version": 1,
    "formatters": {"simple": {"format": "[%(asctime)s][HYDRA] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple",
                             "stream": "ext://sys.stdout"}},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {"logging_example": {"level": "DEBUG"}},
    "disable_existing_loggers": False,
}
_JOB_LOGGING_DEFAULT = {
    "version": 1,
    "formatters": {"simple": {"format": "[%(asctime)s][%(name)s][%(levelname)s] - %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "simple", "stream": "ext://sys.stdout"},
        "file": {"class": "logging.FileHandler", "formatter": "simple",
                 "filename": "${hydra.runtime.output_dir}/${hydra.job.name}.log"},
    },
    "root": {"level": "INFO", "handlers": ["console", "file"]},
    "disable_existing_loggers": False,
}
_LOGGING_DISABLED = {"version": 1, "root": {"level": "ERROR"}, "disable_existing_loggers": True}
_LOGGING_NONE = {"version": 1, "root": None, "disable_existing_loggers": False}
HYDRA_GROUPS = {
    "hydra/job_logging": {
        "default": _JOB_LOGGING_DEFAULT,
        "disabled": _LOGGING_DISABLED,
        "none": _LOGGING_NONE,
        "stdout": {
            "version": 1,
            "formatters": {"simple": {"format": "%(message)s"}},
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple",
                                     "stream": "ext://sys.stdout"}},
            "root": {"level": "INFO", "handlers": ["console"]},
            "disable_existing_loggers": False,
        },
    },
    "hydra/hydra_logging": {
        "default": _HYDRA_LOGGING_DEFAULT,
        "disabled": _LOGGING_DISABLED,
        "hydra_debug": {
            "version": 1,
            "formatters": {"simple": {"format": "[%(asctime)s][%(name)s][%(levelname)s] - %(message)s"}},
            "handlers": {"file": {"class": "logging.FileHandler", "mode": "w", "formatter": "simple",
                                  "filename": "hydra-${hydra.job.name}.log", "delay": True}},
            "root": {"level": "ERROR", "handlers": ["file"]},
            "loggers": {"hydra": {"level": "DEBUG"}},
            "disable_existing_loggers": False,
        },
        "none": _LOGGING_NONE,
    },
    "hydra/launcher": {"basic": {"_target_": "hydra._internal.core_plugins.basic_launcher.BasicLauncher"}},
    "hydra/sweeper": {"basic": {"_target_": "hydra._internal.core_plugins.basic_sweeper.BasicSweeper",
                                "max_batch_size": None, "params": None}},
    "hydra/output": {"default": {}},       # @package hydra: run.dir and sweep.dir
    "hydra/help": {"default": {}},
    "hydra/hydra_help": {"default": {}},
    "hydra/env": {"default": {}},
}


def _join_package(parent: str, package: str) -> str:
    """Hydra's _get_final_package: a package relative to its parent's; up to the last
    _global_ dropped."""
    if parent == "":
        ret = package
    elif package == "":
        ret = parent
    else:
        ret = f"{parent}.{package}"
    i = ret.rfind("_global_")
    if i < 0:
        return ret
    return ret[i + len("_global_") + 1:]


def _absolute_header(header: str | None, group_path: str) -> str | None:
    """A `# @package` header as Hydra keeps it: absolute, from _global_."""
    if header is None:
        return None
    if header == "_group_":
        return "_global_." + group_path.replace("/", ".") if group_path else "_global_"
    if header == "_global_" or header.startswith("_global_."):
        return header
    return "_global_." + header


class _Choice:
    """A group override: from the command line (external) or an `override` entry."""

    def __init__(self, value, raw=None, external=True, where=None):
        self.value = value
        self.raw = raw
        self.external = external
        self.where = where
        self.used = False


class _Deletion:
    def __init__(self, name):
        self.name = name
        self.used = False


class Composer:
    def __init__(self, config_dir: str):
        self.config_dir = config_dir
        self._cache: dict[str, tuple] = {}
        self.choices: dict[str, object] = {}

    def path_of(self, rel: str) -> str:
        return os.path.join(self.config_dir, rel + ".yaml")

    def is_group(self, group: str) -> bool:
        """Hydra's repo.group_exists: a folder of the project, or one of Hydra's own groups."""
        if not group or group.startswith("/") or ".." in group.split("/"):
            return False
        return group in HYDRA_GROUPS or os.path.isdir(os.path.join(self.config_dir, group))

    def options(self, group: str) -> list[str]:
        names = set(HYDRA_GROUPS.get(group, {}))
        folder = os.path.join(self.config_dir, group)
        if os.path.isdir(folder):
            names.update(f[:-5] for f in os.listdir(folder) if f.endswith(".yaml"))
        return sorted(names)

    def load(self, rel: str):
        if rel not in self._cache:
            path = self.path_of(rel)
            try:
                data, header = load_yaml_file(path)
            except YamlError as exc:
                raise HydraError(f"Error loading config '{rel}': {exc}") from None
            if data is None:
                data = {}
            if not isinstance(data, dict):
                raise HydraError(f"Config '{rel}' must be a mapping, got {type(data).__name__}")
            data = dict(data)
            defaults = data.pop("defaults", []) or []
            if not isinstance(defaults, list):
                raise HydraError(f"In '{rel}': the defaults list must be a list")
            self._cache[rel] = (data, header, defaults)
        return self._cache[rel]

    def search_path(self) -> str:
        return (
            "Config search path:\n"
            "\tprovider=hydra, path=pkg://hydra.conf\n"
            f"\tprovider=main, path=file://{self.config_dir}\n"
            "\tprovider=schema, path=structured://"
        )

    def not_found(self, parent: str | None, group: str, option: str) -> HydraError:
        available = self.options(group)
        text = f"Could not find '{group}/{option}'\n"
        if available:
            text += f"\nAvailable options in '{group}':\n" + "\n".join(f"\t{o}" for o in available)
        if parent is not None:
            text = f"In '{parent}': {text}"
        return HydraError(text.rstrip("\n") + "\n" + self.search_path())

    # ---- the defaults tree, as hydra/_internal/defaults_list.py builds it ----

    def compose(self, config_name: str, group_overrides: list[Override]) -> dict:
        if not os.path.isfile(self.path_of(config_name)):
            raise HydraError(
                f"Cannot find primary config '{config_name}'. Check that it's in your config search path.\n"
                + self.search_path()
            )
        self._overrides: dict[str, _Choice] = {}
        self._deletions: dict[str, _Deletion] = {}
        self._appends: list[Override] = []
        self._known: dict[str, object] = {}
        self._known_per_group: dict[str, set] = {}
        for ov in group_overrides:
            key = ov.key + (f"@{ov.package}" if ov.package is not None else "")
            if ov.kind == "DEL":
                self._deletions[key] = _Deletion(ov.value if ov.has_value else None)
            elif ov.kind == "ADD":
                self._appends.append(ov)
            else:
                self._overrides[key] = _Choice(ov.value, raw=ov.raw)
        self._depth = 0
        items = self._expand_config(config_name, "", "", primary=True)
        for key, choice in self._overrides.items():
            if choice.used:
                continue
            choices = self._known_per_group.get(key.split("@")[0], set())
            if len(choices) > 1:
                msg = f"Could not override '{key}'.\nDid you mean to override one of {', '.join(sorted(choices))}?"
            elif len(choices) == 1:
                msg = f"Could not override '{key}'.\nDid you mean to override {next(iter(choices))}?"
            else:
                msg = f"Could not override '{key}'. No match in the defaults list."
            if not choice.external:
                msg = f"In '{choice.where}': {msg}"
            else:
                msg += f"\nTo append to your default list use +{key}={_override_value_text(choice.raw)}"
            raise HydraError(msg)
        for key, deletion in self._deletions.items():
            if not deletion.used:
                desc = f"{key}={deletion.name}" if deletion.name is not None else key
                raise HydraError(f"Could not delete '{desc}'. No match in the defaults list")
        seen: set[str] = set()
        for _package, _content, key in items:
            if key is None:
                continue
            if key in seen:
                raise HydraError(f"{key} appears more than once in the final defaults list")
            seen.add(key)
        cfg: dict = {}
        for package, content, _key in items:
            _deep_merge(_node_at(cfg, package), content)
        return cfg

    def _expand_config(self, rel, base_dir, package, primary=False, key=None):
        """The items (package, content, override key) a config contributes, in merge order."""
        self._depth += 1
        if self._depth > 64:
            raise HydraError(f"Circular reference in the defaults list at '{rel}'")
        content, _header, defaults = self.load(rel)
        entries = []
        for entry in defaults:
            entries.append(self._parse_entry(rel, entry))
        if primary:
            for ov in self._appends:
                entries.append({"kind": "group", "group": ov.key, "value": ov.value,
                                "package": ov.package, "optional": False, "override": False,
                                "external": True})
        has_self = any(e["kind"] == "self" for e in entries)
        if entries and not has_self and any(not e["override"] for e in entries):
            entries.append({"kind": "self", "override": False})
        if not any(not e["override"] for e in entries):
            for e in entries:
                self._add_override_entry(rel, e, base_dir, package)
            self._depth -= 1
            return [(package, content, key)]
        seen_override = False
        for e in entries:
            if e["kind"] == "self":
                continue
            if seen_override and not (e["override"] or e.get("external")):
                raise HydraError(f"In {rel}: Override '{e.get('group')}' must be at the end of the defaults list")
            seen_override = seen_override or e["override"]
        parts = []
        for e in reversed(entries):
            if e["kind"] == "self":
                parts.append([(package, content, None)])
            elif e["override"]:
                self._add_override_entry(rel, e, base_dir, package)
                parts.append([])
            elif e["kind"] == "config":
                parts.append(self._expand_config_entry(rel, e, base_dir, package))
            else:
                parts.append(self._expand_group_entry(rel, e, base_dir, package))
        self._depth -= 1
        return [item for part in reversed(parts) for item in part]

    def _parse_entry(self, rel, entry):
        if isinstance(entry, str):
            if entry == "_self_":
                return {"kind": "self", "override": False}
            path, _, pkg = entry.partition("@")
            return {"kind": "config", "path": path, "package": (None if not _ else ("" if pkg == "_here_" else pkg)),
                    "optional": False, "override": False}
        if isinstance(entry, dict) and len(entry) == 1:
            (gkey, value), = entry.items()
            gkey = str(gkey)
            optional = override = False
            while True:
                if gkey.startswith("override "):
                    override, gkey = True, gkey[len("override "):].strip()
                elif gkey.startswith("optional "):
                    optional, gkey = True, gkey[len("optional "):].strip()
                else:
                    break
            group, at, pkg = gkey.partition("@")
            return {"kind": "group", "group": group, "value": value,
                    "package": (None if not at else ("" if pkg == "_here_" else pkg)),
                    "optional": optional, "override": override}
        raise HydraError(f"In '{rel}': Unsupported item value in defaults : {type(entry).__name__}."
                         " Supported: string or dict")

    @staticmethod
    def _group_path(e, base_dir):
        group = e["group"]
        if group.startswith("/") or e.get("external"):
            return group.lstrip("/")
        return f"{base_dir}/{group}" if base_dir else group

    def _override_key(self, e, base_dir, parent_package):
        gpath = self._group_path(e, base_dir)
        parent = "" if e.get("external") else parent_package
        relative = e["group"].lstrip("/")
        pkg = e["package"] if e["package"] is not None else relative.replace("/", ".")
        final = _join_package(parent, pkg)
        if final != gpath.replace("/", "."):
            return f"{gpath}@{final or '_global_'}"
        return gpath

    def _add_override_entry(self, rel, e, base_dir, package):
        if e["kind"] != "group":
            raise HydraError(f"In '{rel}': an override must name a config group")
        key = self._override_key(e, base_dir, package)
        if key not in self._overrides:
            self._overrides[key] = _Choice(e["value"], external=False, where=rel)

    def _expand_config_entry(self, rel, e, base_dir, parent_package):
        path = e["path"]
        target = path[1:] if path.startswith("/") else (f"{base_dir}/{path}" if base_dir else path)
        if not os.path.isfile(self.path_of(target)):
            if e["optional"]:
                return []
            raise HydraError(f"In '{rel}': Could not load '{target}'.\n" + self.search_path())
        _, header, _ = self.load(target)
        rel_dir = os.path.dirname(path.lstrip("/"))
        pkg = e["package"]
        if pkg is None:
            pkg = _absolute_header(header, os.path.dirname(target)) or rel_dir.replace("/", ".")
        return self._expand_config(target, os.path.dirname(target), _join_package(parent_package, pkg))

    def _expand_group_entry(self, rel, e, base_dir, parent_package):
        gpath = self._group_path(e, base_dir)
        key = self._override_key(e, base_dir, parent_package)
        value = e["value"]
        if key in self._overrides:
            choice = self._overrides[key]
            choice.used = True
            value = choice.value
        deletion = self._deletions.get(key)
        if deletion is not None and (deletion.name is None or deletion.name == value):
            deletion.used = True
            self.choices[key] = None
            return []
        if key not in self._known:
            self._known[key] = value
        elif self._known[key] != value:
            raise HydraError(f"Multiple values for {key}. To override a value use 'override {key}: {self._known[key]}'")
        self._known_per_group.setdefault(gpath, set()).add(key)
        if value is None:
            self.choices[key] = None
            return []
        if value == "???":
            raise HydraError(f"You must specify '{key}', e.g, {key}=<OPTION>\n"
                             f"Available options:\n" + "".join(f"\t{o}\n" for o in self.options(gpath)))
        self.choices[key] = value
        names = value if isinstance(value, list) else [value]
        parent = "" if e.get("external") else parent_package
        items = []
        for name in names:
            if not isinstance(name, str):
                raise HydraError(f"In '{rel}': the option of '{gpath}' must be a config name, got {name!r}")
            target = f"{gpath}/{name}"
            if not os.path.isfile(self.path_of(target)):
                if e["optional"]:
                    continue
                raise self.not_found(rel, gpath, name)
            _, header, _ = self.load(target)
            pkg = e["package"]
            if pkg is None:
                pkg = _absolute_header(header, gpath) or e["group"].lstrip("/").replace("/", ".")
            items.extend(self._expand_config(target, gpath, _join_package(parent, pkg),
                                             key=None if isinstance(value, list) else key))
        return items


def _override_value_text(raw: str) -> str:
    """The value part of an override as typed (after the first '=')."""
    return raw.split("=", 1)[1] if raw and "=" in raw else ""


# --------------------------------------------------------------------------------------
# Value overrides (struct mode) and interpolation
# --------------------------------------------------------------------------------------


def _split_path(key: str) -> list:
    parts = []
    for p in key.split("."):
        parts.append(int(p) if p.isdigit() else p)
    return parts


def _struct_error(ov: Override, missing: str, full_key: str | None = None) -> HydraError:
    return HydraError(
        f"Could not override '{ov.key}'.\n"
        f"To append to your config use +{ov.raw}\n"
        f"Key '{missing.rsplit('.', 1)[-1]}' is not in struct\n"
        f"    full_key: {full_key or ov.key}\n"
        "    object_type=dict"
    )


def _check_interpolations(ov: Override, value) -> None:
    if isinstance(value, str) and "${" in value:
        if not _valid_interpolation_string(value):
            raise HydraError(
                f"Error merging override {ov.raw}\n"
                f"GrammarParseError: no viable alternative at input '{value}'\n"
                f"    full_key: {ov.key}\n"
                "    object_type=dict"
            )
    elif isinstance(value, list):
        for v in value:
            _check_interpolations(ov, v)
    elif isinstance(value, dict):
        for v in value.values():
            _check_interpolations(ov, v)


def _valid_interpolation_string(s: str) -> bool:
    i = 0
    while i < len(s):
        if s.startswith("\\${", i):
            i += 3
            continue
        if s.startswith("${", i):
            end = _lex_interpolation(s, i)
            if end is None or end - i <= 3:
                return False
            inner = s[i + 2:end - 1]
            if not _valid_interpolation_string(inner) or re.search(r"[\s]", inner.split(":", 1)[0]):
                return False
            i = end
            continue
        i += 1
    return True


def _select(cfg, path):
    node = cfg
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def _merge_into(node, value, struct: bool, ov: Override, path) -> None:
    """OmegaConf's merge_with of a dict or list into an existing node (struct mode refuses
    new keys)."""
    if isinstance(node, dict) and isinstance(value, dict):
        for k, v in value.items():
            if k in node:
                if isinstance(v, (dict, list)) and isinstance(node[k], (dict, list)):
                    _merge_into(node[k], v, struct, ov, path + [k])
                else:
                    node[k] = copy.deepcopy(v)
            elif struct:
                missing = ".".join(str(p) for p in path + [k])
                raise _struct_error(ov, missing, full_key=missing)
            else:
                node[k] = copy.deepcopy(v)
    elif isinstance(node, list) and isinstance(value, list):
        node[:] = copy.deepcopy(value)
    else:
        raise HydraError(
            f"Error merging override {ov.raw}\n"
            f"ValidationError: Cannot merge {type(value).__name__} into {type(node).__name__}\n"
            f"    full_key: {ov.key}\n"
            "    object_type=dict"
        )


def apply_value_override(cfg: dict, ov: Override) -> None:
    """One key=value override, as ConfigLoaderImpl._apply_overrides_to_config does it."""
    if ov.package is not None:
        raise HydraError(
            f"Override {ov.raw} looks like a config group override, but config group "
            f"'{ov.key}' does not exist."
        )
    path = _split_path(ov.key)
    _check_interpolations(ov, ov.value)
    value = ov.value

    if ov.kind == "DEL":
        config_val = _select(cfg, path)
        if config_val is None:
            raise HydraError(f"Could not delete from config. '{ov.key}' does not exist.")
        if ov.has_value and value is not None and value != config_val:
            raise HydraError(
                f"Could not delete from config. The value of '{ov.key}' is {config_val} and not {value}."
            )
        parent = _select(cfg, path[:-1]) if len(path) > 1 else cfg
        del parent[path[-1]]
        return

    if ov.kind == "ADD" and _select(cfg, path) is not None and not isinstance(value, (dict, list)):
        raise HydraError(
            f"Could not append to config. An item is already at '{ov.key}'.\n"
            f"Either remove + prefix: '{ov.raw[1:]}'\n"
            f"Or add a second + to add or override '{ov.key}': '+{ov.raw}'"
        )
    force_add = ov.kind in ("ADD", "FORCE_ADD")

    # OmegaConf.update(cfg, key, value, merge=True, force_add=...)
    node = cfg
    for depth, part in enumerate(path[:-1]):
        child = None
        if isinstance(node, dict) and part in node:
            child = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            child = node[part]
        elif not force_add or not isinstance(node, dict):
            raise _struct_error(ov, ".".join(str(p) for p in path[:depth + 1]))
        if not isinstance(child, (dict, list)):
            child = {}
            node[part] = child
        node = child
    last = path[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or last >= len(node):
            raise _struct_error(ov, ov.key)
        existing = node[last]
    else:
        if last not in node and not force_add:
            raise _struct_error(ov, ov.key)
        existing = node.get(last)
    if isinstance(value, (dict, list)) and isinstance(existing, (dict, list)):
        _merge_into(existing, value, not force_add, ov, path)
        return
    node[last] = copy.deepcopy(value)


_FULL_INTERP = re.compile(r"\$\{([^${}]+)\}\Z")
_INNER_INTERP = re.compile(r"(?<!\\)\$\{([^${}]+)\}")


class _Resolver:
    def __init__(self, root: dict):
        self.root = root
        self.active: set[str] = set()

    def lookup(self, dotted: str, here: list):
        if dotted.startswith("."):
            level = len(dotted) - len(dotted.lstrip("."))
            base = here[:-level] if level <= len(here) else []
            dotted = ".".join(str(p) for p in base) + ("." if base else "") + dotted[level:]
        node = self.root
        for part in _split_path(dotted):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                raise TaskError("InterpolationKeyError", f"Interpolation key '{dotted}' not found")
        if dotted in self.active:
            raise TaskError("InterpolationResolutionError", f"Recursive interpolation detected at '{dotted}'")
        self.active.add(dotted)
        try:
            return self.resolve(node, _split_path(dotted))
        finally:
            self.active.discard(dotted)

    def expression(self, expr: str, here: list):
        name, sep, args = expr.partition(":")
        if sep and re.fullmatch(r"[A-Za-z_][\w.]*", name) and name not in ("",):
            if name == "oc.env":
                var, _, default = args.partition(",")
                value = os.environ.get(var.strip())
                if value is None:
                    if not _:
                        raise TaskError("InterpolationResolutionError",
                                        f"Environment variable '{var.strip()}' not found")
                    default = default.strip().strip("'\"")
                    return None if default == "null" else default
                return value
            if name == "hydra":
                hydra_node = self.root.get("hydra", {})
                return _Resolver({**self.root, **hydra_node}).lookup(args.strip(), [])
            if name == "now":
                return time.strftime(args)
            if name == "oc.select":
                key, _, default = args.partition(",")
                try:
                    return self.lookup(key.strip(), here)
                except TaskError:
                    return _plain_scalar(default.strip()) if default else None
            raise TaskError("UnsupportedInterpolationType", f"Unsupported interpolation type {name}")
        return self.lookup(expr.strip(), here)

    def resolve(self, node, here: list):
        if isinstance(node, dict):
            return {k: self.resolve(v, here + [k]) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v, here + [i]) for i, v in enumerate(node)]
        if isinstance(node, str) and "${" in node:
            m = _FULL_INTERP.match(node)
            if m:
                return self.expression(m.group(1), here)
            text = node
            while True:
                m = _INNER_INTERP.search(text)
                if not m:
                    break
                value = self.expression(m.group(1), here)
                text = text[:m.start()] + _to_str(value) + text[m.end():]
            return text.replace("\\${", "${")
        return node


def resolve_config(cfg: dict, hydra_node: dict) -> dict:
    root = dict(cfg)
    root["hydra"] = hydra_node
    resolver = _Resolver(root)
    out = {k: resolver.resolve(v, [k]) for k, v in cfg.items()}
    return out


def select(cfg: dict, dotted: str, default=None):
    node = cfg
    for part in _split_path(dotted):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return default
    return node


# --------------------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------------------


def atomic_write(path: str, data) -> None:
    """Write a file through a temporary name in the same folder, then rename it."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{os.path.basename(path)}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


class Style:
    """ANSI colours, switched off by NO_COLOR."""

    def __init__(self):
        self.on = "NO_COLOR" not in os.environ

    def __call__(self, text: str, *codes: str) -> str:
        if not self.on or not codes:
            return text
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"


style = Style()


class Console:
    """stdout for progress and results, stderr for log records (as Lightning does)."""

    def __init__(self):
        self.log_file = None
        self.bar_open = False

    def out(self, text: str = "", end: str = "\n") -> None:
        if self.bar_open:
            sys.stdout.write("\n")
            self.bar_open = False
        sys.stdout.write(text + end)
        sys.stdout.flush()

    def bar(self, text: str) -> None:
        sys.stdout.write("\r" + text + "\x1b[K")
        sys.stdout.flush()
        self.bar_open = True

    def end_bar(self) -> None:
        if self.bar_open:
            sys.stdout.write("\n")
            sys.stdout.flush()
            self.bar_open = False

    def clear_bar(self) -> None:
        if self.bar_open:
            sys.stdout.write("\r\x1b[K")
            sys.stdout.flush()
            self.bar_open = False

    def log(self, text: str, level: str = "INFO") -> None:
        self.end_bar()
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        if self.log_file:
            self.log_file.write(f"[{stamp}][{level}] - {_strip_ansi(text)}\n")
            self.log_file.flush()
        colour = {"WARNING": "33", "ERROR": "31"}.get(level)
        sys.stderr.write((style(text, colour) if colour else text) + "\n")
        sys.stderr.flush()


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


console = Console()


def format_bar(desc: str, n: int, total: int, elapsed: float, rate: float, postfix: str = "",
               colour: str = "32") -> str:
    """A tqdm-style progress line: 'desc:  45%|####      | 92/205 [00:30<00:37, 3.05it/s, ...]'."""
    width = 10
    frac = 0 if total <= 0 else min(1.0, n / total)
    eighths = int(frac * width * 8)
    full, part = divmod(eighths, 8)
    blocks = " ▏▎▍▌▋▊▉"
    bar = "█" * full + (blocks[part] if full < width else "")
    bar = bar.ljust(width)
    remaining = (total - n) / rate if rate > 0 else 0

    def mmss(seconds):
        seconds = int(seconds)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"

    tail = f"[{mmss(elapsed)}<{mmss(remaining)}, {rate:.2f}it/s{', ' + postfix if postfix else ''}]"
    return f"{style(desc, '1')}: {int(frac * 100):3d}%|{style(bar, colour)}| {n}/{total} {tail}"


# --------------------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------------------


class Signals:
    """Remember SIGINT/SIGTERM so that the task can shut down between two steps."""

    def __init__(self):
        self.received = None
        signal.signal(signal.SIGINT, self._handler)
        signal.signal(signal.SIGTERM, self._handler)

    def _handler(self, signum, _frame):
        if self.received is None:
            self.received = signum

    def ignore_more(self):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)

    def sleep(self, seconds: float) -> bool:
        """Sleep in short slices; return True as soon as a signal has arrived."""
        deadline = time.monotonic() + max(0.0, seconds)
        while self.received is None:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(left, 0.05))
        return self.received is not None


class Interrupted(Exception):
    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


# --------------------------------------------------------------------------------------
# The run harness
# --------------------------------------------------------------------------------------


class Context:
    def __init__(self, task_name, cfg, hydra_node, overrides, run_dir, config_dir, signals):
        self.task_name = task_name
        self.cfg = cfg
        self.hydra = hydra_node
        self.overrides = overrides
        self.run_dir = run_dir
        self.config_dir = config_dir
        self.project_dir = os.path.dirname(config_dir)
        self.signals = signals
        self.record_cfg = None      # the unresolved config, for .hydra/config.yaml
        self.record_hydra = None

    def rel(self, path: str) -> str:
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return path
        return path if rel.startswith("..") else rel

    def check_signal(self):
        if self.signals.received is not None:
            raise Interrupted(self.signals.received)

    def sleep(self, seconds: float):
        if self.signals.sleep(seconds):
            raise Interrupted(self.signals.received)

    def write_record(self):
        hydra_dir = os.path.join(self.run_dir, ".hydra")
        # As Hydra saves them: the config as composed, its ${...} interpolations kept.
        record = self.record_cfg if self.record_cfg is not None else self.cfg
        record_hydra = self.record_hydra if self.record_hydra is not None else self.hydra
        atomic_write(os.path.join(hydra_dir, "config.yaml"), dump_yaml(record))
        atomic_write(os.path.join(hydra_dir, "hydra.yaml"), dump_yaml({"hydra": record_hydra}))
        task = [o.raw for o in self.overrides if not _is_hydra_key(o.key)]
        atomic_write(os.path.join(hydra_dir, "overrides.yaml"), dump_yaml(task))


def _is_hydra_key(key: str) -> bool:
    return key == "hydra" or key.startswith("hydra.")


def _apply_hydra_group(composer: Composer, hydra_node: dict, ov: Override) -> dict:
    """hydra/job_logging=disabled and the like: one of Hydra's own groups, composed under
    the project's hydra settings (Hydra composes its own config first)."""
    sub = ov.key[len("hydra/"):]
    if ov.kind == "DEL":
        if ov.has_value and ov.value is not None and ov.value != "default" and sub not in ("launcher", "sweeper"):
            raise HydraError(f"Could not delete '{ov.key}={ov.value}'. No match in the defaults list")
        composer.choices[ov.key] = None
        hydra_node.pop(sub, None)
        return hydra_node
    names = ov.value if isinstance(ov.value, list) else [ov.value]
    base: dict = {}
    for name in names:
        if not isinstance(name, str):
            raise HydraError(f"Config group override must be a string or a list. Got {type(name).__name__}")
        if name in HYDRA_GROUPS[ov.key]:
            content = copy.deepcopy(HYDRA_GROUPS[ov.key][name])
        elif os.path.isfile(composer.path_of(f"{ov.key}/{name}")):
            content, _, _ = composer.load(f"{ov.key}/{name}")
            content = copy.deepcopy(content)
        else:
            raise composer.not_found("hydra/config", ov.key, name)
        _deep_merge(base, content)
    composer.choices[ov.key] = ov.value
    if sub == "output":  # @package hydra
        return _deep_merge(base, hydra_node)
    mine = hydra_node.get(sub)
    hydra_node[sub] = _deep_merge(base, mine) if isinstance(mine, dict) else base
    return hydra_node


def _usage(script: str) -> str:
    return (
        f"usage: {script} [--help] [--cfg {{job,hydra,all}}] [--resolve] [--config-name NAME]\n"
        f"       {' ' * len(script)} [--config-dir DIR] [overrides ...]\n"
    )


def _help_text(script: str, config_name: str, config_dir: str) -> str:
    composer = Composer(config_dir)
    lines = [f"{script} (demo runner, config '{config_name}')", "", "== Configuration groups ==",
             "Compose your configuration from those groups (group=option)", ""]
    for dirpath, dirnames, filenames in sorted(os.walk(config_dir)):
        dirnames.sort()
        rel = os.path.relpath(dirpath, config_dir)
        if rel == "." or not any(f.endswith(".yaml") for f in filenames):
            continue
        lines.append(f"{rel}: {', '.join(composer.options(rel))}")
    lines += ["", "== Overrides ==", "key=value, +key=value (add), ++key=value (force add), ~key (delete),",
              "group/name=option; quote values with \"...\" or '...'.", "",
              "Environment: CB_DEMO_FAST=1 (quick run), CB_DEMO_SECONDS=<s> (run length),",
              "CB_DEMO_STRICT=0 (skip the checkpoint/model match check), NO_COLOR=1."]
    return "\n".join(lines) + "\n"


def _hydra_error(message: str) -> int:
    console.end_bar()
    sys.stderr.write(message.rstrip("\n") + "\n\nSet the environment variable HYDRA_FULL_ERROR=1 for a complete stack trace.\n")
    sys.stderr.flush()
    return 1


def infer_profile(config_dir: str, overrides: list[Override]) -> str:
    """Name the preprocessing profile whose overrides were all given, else 'none'."""
    path = os.path.join(config_dir, "ui_meta", "preprocessing_profiles.yaml")
    try:
        data, _ = load_yaml_file(path)
        profiles = (data or {}).get("profiles") or {}
    except (OSError, YamlError):
        return "none"
    given = {(o.kind, o.key, repr(o.value)) for o in overrides}
    best, best_len = "none", 0
    for name, profile in profiles.items():
        wanted = set()
        try:
            for text in (profile or {}).get("overrides") or []:
                o = _parse_override(str(text))
                wanted.add((o.kind, o.key, repr(o.value)))
        except _ParseError:
            continue
        if wanted and wanted <= given and len(wanted) > best_len:
            best, best_len = name, len(wanted)
    return best


def run(task_name: str, task, script_path: str) -> None:
    """Parse argv, compose the config, create the run folder and call task(ctx)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass
    signals = Signals()
    try:
        code = _run(task_name, task, script_path, signals)
    except BrokenPipeError:
        code = 141
    except Interrupted as exc:
        code = 130 if exc.signum == signal.SIGINT else 143
    sys.stdout.flush()
    sys.exit(code)


def _run(task_name, task, script_path, signals) -> int:
    script = os.path.basename(script_path)
    config_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(script_path))), "configs")
    config_name = task_name
    cfg_mode = None
    resolve_cfg = False
    raw_overrides: list[str] = []
    multirun = False
    args = sys.argv[1:]
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-h", "--help", "--hydra-help"):
            sys.stdout.write(_help_text(script, config_name, config_dir))
            return 0
        if a in ("-c", "--cfg") or a.startswith("--cfg="):
            value = a.split("=", 1)[1] if "=" in a else (args[i + 1] if i + 1 < len(args) else None)
            i += 1 if "=" in a else 2
            if value not in ("job", "hydra", "all"):
                sys.stderr.write(_usage(script) + f"{script}: error: argument --cfg/-c: invalid choice: "
                                 f"{value!r} (choose from 'job', 'hydra', 'all')\n")
                return 2
            cfg_mode = value
            continue
        if a == "--resolve":
            resolve_cfg = True
            i += 1
            continue
        if a in ("-cn", "--config-name", "-cp", "--config-path", "-cd", "--config-dir"):
            if i + 1 >= len(args):
                sys.stderr.write(_usage(script) + f"{script}: error: argument {a}: expected one argument\n")
                return 2
            value = args[i + 1]
            if a in ("-cn", "--config-name"):
                config_name = value
            else:
                config_dir = os.path.abspath(value if os.path.isabs(value) or a in ("-cd", "--config-dir")
                                             else os.path.join(os.path.dirname(script_path), value))
            i += 2
            continue
        if a in ("-m", "--multirun"):
            multirun = True
            i += 1
            continue
        if a.startswith("-") and len(a) > 1 and not a[1:2].isdigit():
            sys.stderr.write(_usage(script) + f"{script}: error: unrecognized arguments: {a}\n")
            return 2
        raw_overrides.append(a)
        i += 1

    if multirun:
        import _hydra_multirun  # noqa: E402 (its own module: only multiruns need it)
        return _hydra_multirun.run(task_name, task, config_dir, config_name, raw_overrides, signals,
                                   cfg_mode, resolve_cfg)
    return run_job(task_name, task, config_dir, config_name, raw_overrides, signals, cfg_mode, resolve_cfg)


def hydra_defaults(hydra_node: dict) -> dict:
    """Hydra's own output settings (hydra/output/default.yaml), under the project's."""
    run = hydra_node.setdefault("run", {})
    run.setdefault("dir", "outputs/${exp_name}")  # the demo's own default (Hydra: outputs/<date>/<time>)
    sweep = hydra_node.setdefault("sweep", {})
    sweep.setdefault("dir", "multirun/${now:%Y-%m-%d}/${now:%H-%M-%S}")
    sweep.setdefault("subdir", "${hydra.job.num}")
    return hydra_node


def compose_job(config_dir, config_name, overrides):
    """Compose the config of one job: (composer, cfg without hydra, hydra node). Raises
    HydraError as Hydra would refuse the overrides."""
    composer = Composer(config_dir)
    for ov in overrides:
        # hydra/_internal/defaults_list.py, Overrides.__init__
        ov.is_group = composer.is_group(ov.key) and not isinstance(ov.value, dict)
        if not ov.is_group:
            continue
        if ov.kind == "FORCE_ADD":
            raise HydraError(f"force-add of config groups is not supported: '{ov.raw}'")
        if ov.kind == "DEL":
            if ov.value is not None and not isinstance(ov.value, str):
                raise HydraError(f"Config group override deletion value must be a string : {ov.raw}")
        elif not isinstance(ov.value, (str, list)):
            raise HydraError(
                f"Config group override must be a string or a list. Got {type(ov.value).__name__}"
            )
    hydra_groups = [o for o in overrides if o.is_group and o.package is None and o.key in HYDRA_GROUPS
                    and not os.path.isdir(os.path.join(config_dir, o.key))]
    cfg = composer.compose(config_name, [o for o in overrides if o.is_group and o not in hydra_groups])
    hydra_node = hydra_defaults(cfg.pop("hydra", {}) or {})
    for ov in hydra_groups:
        hydra_node = _apply_hydra_group(composer, hydra_node, ov)
    for ov in overrides:
        if ov.is_group:
            continue
        if _is_hydra_key(ov.key):
            target = {"hydra": hydra_node}
            apply_value_override(target, ov)
            hydra_node = target.get("hydra", {})
        else:
            apply_value_override(cfg, ov)
    return composer, cfg, hydra_node


def run_job(task_name, task, config_dir, config_name, raw_overrides, signals, cfg_mode=None,
            resolve_cfg=False, job=None) -> int:
    """Compose, create the run folder and run the task. JOB is None for a single run, else
    a dict with the multirun's "num" (this job's number) and "sweep_dir" (resolved)."""
    try:
        overrides = [parse_override(a) for a in raw_overrides]
        for ov in overrides:
            if ov.is_sweep:
                raise HydraError(sweep_message(ov))
        composer, cfg, hydra_node = compose_job(config_dir, config_name, overrides)
        if overrides and cfg_mode is None:
            console.out(style(f"Overrides ({len(overrides)}):", "1"))
            for ov in overrides:
                console.out("  " + ov.describe())
    except HydraError as exc:
        return _hydra_error(str(exc))

    hydra_node.setdefault("job", {})["name"] = task_name
    hydra_node["job"]["override_dirname"] = ",".join(
        o.raw for o in overrides if not o.is_group and not _is_hydra_key(o.key))
    hydra_node.setdefault("runtime", {})
    hydra_node["runtime"]["cwd"] = os.getcwd()
    hydra_node["runtime"]["config_sources"] = [{"path": config_dir, "schema": "file", "provider": "main"}]
    hydra_node["runtime"]["choices"] = {k: v for k, v in composer.choices.items()}
    hydra_node["overrides"] = {"hydra": [o.raw for o in overrides if _is_hydra_key(o.key)],
                               "task": [o.raw for o in overrides if not _is_hydra_key(o.key)]}
    hydra_node.setdefault("mode", "RUN")
    hydra_node["job"].setdefault("num", 0)
    if job is not None:
        hydra_node["mode"] = "MULTIRUN"
        hydra_node["job"]["num"] = job["num"]
        hydra_node["sweep"]["dir"] = job["sweep_dir"]

    try:
        if job is None:
            run_dir = _Resolver({**cfg, "hydra": hydra_node}).resolve(select(hydra_node, "run.dir"), [])
        else:
            subdir = _Resolver({**cfg, "hydra": hydra_node}).resolve(select(hydra_node, "sweep.subdir"), [])
            run_dir = os.path.join(job["sweep_dir"], str(subdir))
        run_dir = str(run_dir)
        hydra_node["runtime"]["output_dir"] = os.path.abspath(run_dir)
        resolved = resolve_config(cfg, hydra_node)
        resolved_hydra = _Resolver({**cfg, "hydra": hydra_node}).resolve(hydra_node, ["hydra"])
    except TaskError as exc:
        if cfg_mode is None or resolve_cfg:
            return _hydra_error(f"Error resolving the config\n{exc.kind}: {exc.message}")
        # --cfg without --resolve prints the config as composed: nothing is resolved.
        resolved, resolved_hydra = cfg, hydra_node

    if cfg_mode is not None:
        job = resolved if resolve_cfg else cfg
        hyd = resolved_hydra if resolve_cfg else hydra_node
        if cfg_mode == "job":
            sys.stdout.write(dump_yaml(job))
        elif cfg_mode == "hydra":
            sys.stdout.write(dump_yaml({"hydra": hyd}))
        else:
            sys.stdout.write(dump_yaml({**job, "hydra": hyd}))
        return 0

    profile = infer_profile(config_dir, overrides)
    resolved["preprocessing_profile"] = profile
    ctx = Context(task_name, resolved, resolved_hydra, overrides, run_dir, config_dir, signals)
    ctx.record_cfg = {**cfg, "preprocessing_profile": profile}
    ctx.record_hydra = hydra_node
    ctx.check_signal()
    os.makedirs(run_dir, exist_ok=True)
    ctx.write_record()
    if console.log_file:
        console.log_file.close()
    console.log_file = open(os.path.join(run_dir, f"{task_name}.log"), "a", encoding="utf-8")
    console.out(f"Run directory: {ctx.rel(os.path.abspath(run_dir))}")
    try:
        return task(ctx) or 0
    except TaskError as exc:
        console.end_bar()
        if console.log_file:
            console.log_file.write(f"[{time.strftime('%Y-%m-%d %H:%M:%S')}][ERROR] - {exc.kind}: {exc.message}\n")
        listed = ", ".join(repr(o.raw) for o in overrides)
        return _hydra_error(f"Error executing job with overrides: [{listed}]\n{exc.kind}: {exc.message}")
