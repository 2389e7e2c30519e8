#!/usr/bin/env python3
# Checks the translation set-up.
#
#   tests/test-potfiles.py potfiles SOURCE_ROOT       po/POTFILES.in is complete, exact, sorted
#   tests/test-potfiles.py translations SOURCE_ROOT   every po/LINGUAS catalogue is valid and
#                                                     translates every string of the sources
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import subprocess
import sys
import tempfile

# Where translatable strings live, and what marks them.
SCAN_DIRS = ('src', 'include', 'data', 'po')
SKIP_DIRS = ('data/demo-project',)
SOURCE_SUFFIXES = ('.c', '.h', '.ui')
MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:(?:_|N_|C_|NC_|Q_)\(|(?:g_dcgettext|g_dngettext|g_dpgettext2)\s*\()'
                     r'|translatable="yes"')
# Data files that xgettext reads through its ITS rules: always listed.
DATA_SUFFIXES = ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in', '.gschema.xml')

# The keywords of meson's i18n.gettext(preset: 'glib').
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format', '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]


def read_list(path):
    entries = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append((n, line))
    return entries


def needs_listing(root, rel):
    if rel.endswith(DATA_SUFFIXES):
        return True
    if not rel.endswith(SOURCE_SUFFIXES):
        return False
    with open(os.path.join(root, rel), encoding='utf-8', errors='replace') as f:
        return MARKERS.search(f.read()) is not None


def scan(root):
    found = set()
    for top in SCAN_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            rel_dir = os.path.relpath(dirpath, root)
            dirnames[:] = sorted(d for d in dirnames
                                 if os.path.join(rel_dir, d) not in SKIP_DIRS
                                 and not d.startswith('.') and d != '__pycache__')
            for name in filenames:
                rel = os.path.join(rel_dir, name)
                if needs_listing(root, rel):
                    found.add(rel)
    return found


def check_potfiles(root):
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    entries = read_list(potfiles)
    names = [name for _, name in entries]
    errors = []

    for n, name in entries:
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            errors.append(f'po/POTFILES.in:{n}: {name} does not exist')
        elif not needs_listing(root, name):
            errors.append(f'po/POTFILES.in:{n}: {name} has no translatable strings')

    seen = set()
    for n, name in entries:
        if name in seen:
            errors.append(f'po/POTFILES.in:{n}: {name} is listed twice')
        seen.add(name)

    # Sorted as `LC_ALL=C sort` sorts: by bytes.
    expected = sorted(names, key=lambda s: s.encode('utf-8'))
    if names != expected:
        for (n, name), want in zip(entries, expected):
            if name != want:
                errors.append(f'po/POTFILES.in:{n}: not sorted: {name} (expected {want} here)')
                break

    for rel in sorted(scan(root) - seen):
        errors.append(f'{rel} has translatable strings but is not in po/POTFILES.in')

    for e in errors:
        print(e)
    if not errors:
        print(f'po/POTFILES.in lists all {len(names)} files with translatable strings')
    return 1 if errors else 0


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


def check_translations(root):
    for tool in ('xgettext', 'msgfmt', 'msgcmp'):
        if shutil.which(tool) is None:
            print(f'SKIP: {tool} is not installed')
            return 77

    linguas = [lang for _, line in read_list(os.path.join(root, 'po', 'LINGUAS'))
               for lang in line.split()]
    errors = 0

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'command-builder.pot')
        result = run(['xgettext', '--package-name=command-builder', '-D', root,
                      '-f', os.path.join(root, 'po', 'POTFILES.in'), '-o', pot]
                     + XGETTEXT_ARGS)
        if result.returncode != 0:
            print(result.stderr)
            return 1

        for lang in linguas:
            po = os.path.join(root, 'po', f'{lang}.po')
            result = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                         env=dict(os.environ, LC_ALL='C'))
            stats = (result.stdout + result.stderr).strip()
            if result.returncode != 0:
                print(f'po/{lang}.po: msgfmt --check failed:\n{stats}')
                errors += 1
                continue
            if 'untranslated' in stats or 'fuzzy' in stats:
                print(f'po/{lang}.po: {stats}')
                errors += 1

            # Strings in the sources that the catalogue lacks (or has fuzzy or empty).
            result = run(['msgcmp', po, pot], env=dict(os.environ, LC_ALL='C'))
            if result.returncode != 0:
                missing = [line for line in result.stderr.splitlines()
                           if 'this message' in line]
                print(f'po/{lang}.po lacks {len(missing)} string(s) of the sources; run '
                      f'`ninja -C build command-builder-update-po` and translate them:')
                print(result.stderr)
                errors += 1
            else:
                print(f'po/{lang}.po: {stats}; complete')

    return 1 if errors else 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ('potfiles', 'translations'):
        print(__doc__ if __doc__ else 'usage: test-potfiles.py potfiles|translations ROOT')
        return 2
    root = os.path.abspath(sys.argv[2])
    if sys.argv[1] == 'potfiles':
        return check_potfiles(root)
    return check_translations(root)


if __name__ == '__main__':
    sys.exit(main())
