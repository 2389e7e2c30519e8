#!/usr/bin/env python3
# Lists the translatable strings of the page schemas (data/schemas/*.yaml) as N_() lines
# with translator comments, in an array, in po/schema-strings.c, which po/POTFILES.in names, so that
# xgettext finds them. The GUI shows each through g_dgettext (GETTEXT_PACKAGE, text).
#
#   po/extract-schema-strings.py [--check] [--output po/schema-strings.c] SCHEMA.yaml...
#
# With --check it writes nothing and exits 1 when the output file is not what it would
# write (the test `schema-strings` runs it so).
#
# Translatable: each field's label, help, info_template and info_fallback, and the labels of
# {label, value} options. Not translatable: keys, values, Hydra overrides, plain string
# options (they are the values themselves) and the schema title (not shown).
#
# Only the Python standard library: the YAML subset of the schemas (block mappings and
# sequences, one-line flow collections, plain, quoted and block scalars, comments) is
# parsed here. Anything else is an error, never a silently missed string.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import os
import re
import sys

FIELD_STRINGS = ('label', 'help', 'info_template', 'info_fallback')


class YamlError(Exception):
    pass


class Scalar:
    def __init__(self, text, line, quoted):
        self.text = text
        self.line = line
        self.quoted = quoted


# ---- A small YAML subset parser ---------------------------------------------------------

def strip_comment(text):
    """Drops a ' #' comment that is not inside quotes."""
    quote = None
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == '\\' and quote == '"':
                i += 2
                continue
            if c == quote:
                if quote == "'" and text[i + 1:i + 2] == "'":
                    i += 2
                    continue
                quote = None
        elif c in '"\'' and (i == 0 or text[i - 1] in ' \t[{,:'):
            quote = c
        elif c == '#' and (i == 0 or text[i - 1] in ' \t'):
            return text[:i].rstrip()
        i += 1
    return text.rstrip()


ESCAPES = {'n': '\n', 't': '\t', '\\': '\\', '"': '"', '/': '/', '0': '\0', 'r': '\r',
           ' ': ' ', 'a': '\a', 'b': '\b', 'e': '\x1b', 'f': '\f', 'v': '\v'}


def parse_double_quoted(text, pos, lineno):
    """Returns (value, end) for a "..." scalar starting at text[pos]."""
    out = []
    i = pos + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return ''.join(out), i + 1
        if c == '\\':
            e = text[i + 1:i + 2]
            if e in ESCAPES:
                out.append(ESCAPES[e])
                i += 2
                continue
            for letter, size in (('x', 2), ('u', 4), ('U', 8)):
                if e == letter:
                    digits = text[i + 2:i + 2 + size]
                    if not re.fullmatch(r'[0-9a-fA-F]{%d}' % size, digits):
                        raise YamlError(f'line {lineno}: bad \\{letter} escape')
                    out.append(chr(int(digits, 16)))
                    i += 2 + size
                    break
            else:
                raise YamlError(f'line {lineno}: unknown escape \\{e}')
            continue
        out.append(c)
        i += 1
    raise YamlError(f'line {lineno}: a quoted string that goes on over lines is not supported')


def parse_single_quoted(text, pos, lineno):
    out = []
    i = pos + 1
    while i < len(text):
        if text[i] == "'":
            if text[i + 1:i + 2] == "'":
                out.append("'")
                i += 2
                continue
            return ''.join(out), i + 1
        out.append(text[i])
        i += 1
    raise YamlError(f'line {lineno}: a quoted string that goes on over lines is not supported')


def parse_flow(text, pos, lineno):
    """Parses a one-line flow node at text[pos]; returns (node, end)."""
    while pos < len(text) and text[pos] == ' ':
        pos += 1
    if pos >= len(text):
        raise YamlError(f'line {lineno}: a flow collection that goes on over lines is not supported')
    c = text[pos]
    if c in '[{':
        close = ']' if c == '[' else '}'
        items = [] if c == '[' else {}
        pos += 1
        while True:
            while pos < len(text) and text[pos] == ' ':
                pos += 1
            if pos >= len(text):
                raise YamlError(f'line {lineno}: a flow collection that goes on over lines '
                                'is not supported')
            if text[pos] == close:
                return items, pos + 1
            if c == '[':
                node, pos = parse_flow(text, pos, lineno)
                items.append(node)
            else:
                key, pos = parse_flow(text, pos, lineno)
                while pos < len(text) and text[pos] == ' ':
                    pos += 1
                if text[pos:pos + 1] != ':':
                    raise YamlError(f'line {lineno}: expected ":" in a flow mapping')
                node, pos = parse_flow(text, pos + 1, lineno)
                items[key.text] = node
            while pos < len(text) and text[pos] == ' ':
                pos += 1
            if text[pos:pos + 1] == ',':
                pos += 1
            elif text[pos:pos + 1] != close:
                raise YamlError(f'line {lineno}: expected "," or "{close}"')
    if c == '"':
        value, end = parse_double_quoted(text, pos, lineno)
        return Scalar(value, lineno, True), end
    if c == "'":
        value, end = parse_single_quoted(text, pos, lineno)
        return Scalar(value, lineno, True), end
    m = re.match(r'[^,\[\]{}]*?(?=\s*(?:[,\]}]|:\s|:$|$))', text[pos:])
    return Scalar(m.group(0).strip(), lineno, False), pos + m.end()


class Parser:
    def __init__(self, text):
        self.raw = text.splitlines()
        self.lines = []                     # (lineno, indent, content)
        for n, raw in enumerate(text.splitlines(), 1):
            if '\t' in raw[:len(raw) - len(raw.lstrip())]:
                raise YamlError(f'line {n}: tab in indentation')
            content = strip_comment(raw)
            if content.strip() in ('', '---'):
                continue
            self.lines.append((n, len(content) - len(content.lstrip(' ')), content.strip(),
                               raw))
        self.i = 0

    def peek(self):
        return self.lines[self.i] if self.i < len(self.lines) else None

    def parse_document(self):
        node = self.parse_block(0)
        if self.peek() is not None:
            raise YamlError(f'line {self.peek()[0]}: unexpected content')
        return node

    def parse_block(self, indent):
        line = self.peek()
        if line is None or line[1] < indent:
            return Scalar('', line[0] if line else 0, False)
        if line[2] == '-' or line[2].startswith('- '):
            return self.parse_sequence(line[1])
        return self.parse_mapping(line[1])

    def parse_sequence(self, indent):
        items = []
        while True:
            line = self.peek()
            if line is None or line[1] != indent or not (line[2] == '-' or
                                                          line[2].startswith('- ')):
                if line is not None and line[1] > indent:
                    raise YamlError(f'line {line[0]}: bad indentation')
                return items
            n, _, content, raw = line
            rest = content[1:].lstrip(' ')
            if rest == '':
                self.i += 1
                items.append(self.parse_block(indent + 1))
                continue
            # "- key: value" starts a mapping whose keys line up after the dash.
            inner = indent + (len(content) - len(rest))
            self.lines[self.i] = (n, inner, rest, raw)
            if self.is_mapping_line(rest):
                items.append(self.parse_mapping(inner))
            else:
                self.i += 1
                items.append(self.parse_value(rest, n, inner))

    @staticmethod
    def is_mapping_line(content):
        if content[0] in '[{"\'':
            return bool(re.match(r'("[^"]*"|\'[^\']*\')\s*:(\s|$)', content))
        return bool(re.match(r'[^\s:][^:]*?:(\s|$)', content))

    def parse_mapping(self, indent):
        mapping = {}
        while True:
            line = self.peek()
            if line is None or line[1] < indent:
                return mapping
            n, ind, content, raw = line
            if ind > indent:
                raise YamlError(f'line {n}: bad indentation')
            if content.startswith('- '):
                return mapping
            if not self.is_mapping_line(content):
                raise YamlError(f'line {n}: expected "key: value"')
            if content[0] in '"\'':
                key_node, end = parse_flow(content, 0, n)
                key = key_node.text
                rest = content[end:].lstrip(' ')[1:].strip()
            else:
                key, rest = content.split(':', 1)
                key = key.strip()
                rest = rest.strip()
            if key in mapping:
                raise YamlError(f'line {n}: duplicate key "{key}"')
            self.i += 1
            if rest == '':
                nxt = self.peek()
                if nxt is not None and nxt[1] == indent and nxt[2].startswith('- '):
                    mapping[key] = self.parse_sequence(indent)
                else:
                    mapping[key] = self.parse_block(indent + 1)
            else:
                mapping[key] = self.parse_value(rest, n, indent)

    def parse_value(self, rest, n, indent):
        if rest[0] in '|>':
            return self.parse_block_scalar(rest, n, indent)
        if rest[0] in '[{"\'':
            node, end = parse_flow(rest, 0, n)
            if rest[end:].strip():
                raise YamlError(f'line {n}: unexpected text after the value')
        else:
            node = Scalar(rest, n, False)
        nxt = self.peek()
        if (isinstance(node, Scalar) and not node.quoted and nxt is not None and
                nxt[1] > indent):
            raise YamlError(f'line {nxt[0]}: a plain scalar that goes on over lines is not '
                            'supported; quote it')
        return node

    def parse_block_scalar(self, header, n, indent):
        m = re.fullmatch(r'([|>])([-+]?)', header)
        if not m:
            raise YamlError(f'line {n}: unsupported block scalar header "{header}"')
        # The body is every following line indented deeper, blank lines included: read it
        # from the raw text, which still has them.
        while self.peek() is not None and self.peek()[1] > indent:
            self.i += 1
        end = self.peek()[0] - 1 if self.peek() is not None else len(self.raw)
        body = [line.rstrip() for line in self.raw[n:end]]
        while body and body[-1] == '':
            body.pop()
        if not body:
            return Scalar('', n, True)
        block_indent = min(len(line) - len(line.lstrip(' ')) for line in body if line)
        body = [line[block_indent:] for line in body]
        if m.group(1) == '|':
            text = '\n'.join(body)
        else:
            text = ''
            for line in body:
                if line == '':
                    text += '\n'
                elif text and not text.endswith('\n'):
                    text += ' ' + line
                else:
                    text += line
        if m.group(2) != '-':
            text += '\n'
        return Scalar(text, n, True)


def load(path):
    with open(path, encoding='utf-8') as f:
        try:
            return Parser(f.read()).parse_document()
        except YamlError as e:
            raise YamlError(f'{path}: {e}') from None


# ---- The strings -----------------------------------------------------------------------

def collect(paths, root):
    """Returns [(text, [(what, file), ...])] in order of first appearance."""
    strings = {}

    def add(node, place):
        if isinstance(node, Scalar) and node.text.strip():
            strings.setdefault(node.text, []).append(place)

    for path in paths:
        rel = os.path.relpath(path, root)
        doc = load(path)
        if not isinstance(doc, dict) or not isinstance(doc.get('ui_elements'), list):
            raise YamlError(f'{path}: no ui_elements list')
        for field in doc['ui_elements']:
            if not isinstance(field, dict):
                raise YamlError(f'{path}: a ui_elements entry is not a mapping')
            key = field.get('key')
            key = key.text if isinstance(key, Scalar) else '?'
            for name in FIELD_STRINGS:
                if name in field:
                    add(field[name], (f'the {name} of the field "{key}"', rel))
            options = field.get('options')
            if isinstance(options, list):
                for option in options:
                    if isinstance(option, dict) and 'label' in option:
                        value = option.get('value')
                        value = value.text if isinstance(value, Scalar) else '?'
                        add(option['label'],
                            (f'the label of the option "{value}" of the field "{key}"', rel))
    return list(strings.items())


def c_string(text):
    out = []
    for c in text:
        if c == '\\':
            out.append('\\\\')
        elif c == '"':
            out.append('\\"')
        elif c == '\n':
            out.append('\\n')
        elif c == '\t':
            out.append('\\t')
        elif ord(c) < 0x20:
            out.append('\\%03o' % ord(c))
        else:
            out.append(c)
    return '"' + ''.join(out) + '"'


HEADER = '''\
/* po/schema-strings.c: the translatable strings of the page schemas
 *
 * Generated by po/extract-schema-strings.py from
 *   {sources}
 * Do not edit: run `ninja -C build update-schema-strings` after changing a schema.
 *
 * Never compiled: po/POTFILES.in lists it so that xgettext finds the labels and help texts,
 * which the GUI looks up with g_dgettext (GETTEXT_PACKAGE, text).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

'''


def describe(places):
    """'the label of the field "x" (data/schemas/a.yaml, b.yaml); ...'"""
    whats = {}
    for what, path in places:
        whats.setdefault(what, []).append(path)
    parts = []
    for what, paths in whats.items():
        names = [paths[0]] + [os.path.basename(p) for p in paths[1:]]
        parts.append(f'{what} ({", ".join(names)})')
    return '; '.join(parts)


def render(strings, sources):
    out = [HEADER.format(sources=',\n *   '.join(sources))]
    # The brace keeps the file comment above out of the first string's translator notes.
    out.append('static const char *schema_strings[] = {\n')
    for text, places in strings:
        comment = 'Translators: ' + describe(places)
        if re.search(r'\{[A-Za-z_][A-Za-z0-9_]*\}', text):
            comment += '; keep the {names} in braces as they are'
        if '%' in text:
            out.append('  /* xgettext:no-c-format */\n')
        out.append('  /* ' + comment.replace('*/', '* /') + ' */\n')
        out.append('  N_(' + c_string(text) + '),\n')
    out.append('};\n')
    return ''.join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--output', default=None,
                        help='the file to write (default: schema-strings.c next to this script)')
    parser.add_argument('--check', action='store_true',
                        help='compare with the output file instead of writing it')
    parser.add_argument('schemas', nargs='+')
    args = parser.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    output = args.output or os.path.join(here, 'schema-strings.c')
    paths = sorted(args.schemas, key=os.path.basename)

    try:
        strings = collect(paths, root)
    except (YamlError, OSError) as e:
        print(f'extract-schema-strings: {e}', file=sys.stderr)
        return 2

    text = render(strings, [os.path.relpath(p, root) for p in paths])

    if args.check:
        try:
            with open(output, encoding='utf-8') as f:
                current = f.read()
        except OSError as e:
            print(f'extract-schema-strings: {e}', file=sys.stderr)
            return 1
        if current != text:
            print(f'{os.path.relpath(output, root)} is out of date: run '
                  '`ninja -C build update-schema-strings` (or po/extract-schema-strings.py '
                  'data/schemas/*.yaml) and commit the result', file=sys.stderr)
            return 1
        print(f'{os.path.relpath(output, root)} is up to date ({len(strings)} strings)')
        return 0

    with open(output, 'w', encoding='utf-8') as f:
        f.write(text)
    print(f'wrote {os.path.relpath(output, root)} ({len(strings)} strings)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
