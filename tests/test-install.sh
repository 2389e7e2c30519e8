#!/usr/bin/env bash
# Installs the build into a temporary DESTDIR and checks that the installed tree is a
# working application: the files a desktop needs are where it looks for them, and the
# installed binary finds its schemas and demo project relative to itself, not in the
# source or build tree.
#
#   bash tests/test-install.sh BUILD_DIR        (meson test --suite install)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

builddir=${1:?usage: test-install.sh BUILD_DIR}
app_id=org.ocrkit.CommandBuilder
failures=0

ok()   { echo "ok - $*"; }
fail() { echo "not ok - $*"; failures=$((failures + 1)); }
note() { echo "# $*"; }

command -v meson >/dev/null || { echo "SKIP: meson is not installed"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cb-test-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dest="$tmp/dest"

# The test runs with the variables that point the build at the source tree; an installed
# application has none of them.
unset CB_DATA_DIR GSETTINGS_SCHEMA_DIR G_TEST_SRCDIR G_TEST_BUILDDIR
export XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
export LANGUAGE=C LC_ALL=C.UTF-8

if ! meson install -C "$builddir" --destdir "$dest" --no-rebuild --quiet >"$tmp/install.log" 2>&1
then
  cat "$tmp/install.log"
  echo "not ok - meson install --destdir failed"
  exit 1
fi
ok "meson install --destdir"

bin=$(find "$dest" -path '*/bin/command-builder' -type f | head -n 1)
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "not ok - no bin/command-builder under the destdir"
  exit 1
fi
root=$(dirname "$(dirname "$bin")")     # DESTDIR + prefix
prefix=${root#"$dest"}
share="$root/share"
ok "installed ${bin#"$dest"}"

# ---- The files a desktop looks for -----------------------------------------------------
expect_file() {
  if [ -f "$share/$1" ]; then ok "share/$1"; else fail "missing share/$1"; fi
}
expect_file "applications/$app_id.desktop"
expect_file "metainfo/$app_id.metainfo.xml"
expect_file "dbus-1/services/$app_id.service"
expect_file "glib-2.0/schemas/$app_id.gschema.xml"
expect_file "icons/hicolor/scalable/apps/$app_id.svg"
expect_file "icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
expect_file "man/man1/command-builder.1"
expect_file "locale/ko/LC_MESSAGES/command-builder.mo"
for page in train test predict; do
  expect_file "command-builder/schemas/$page.yaml"
done
expect_file "command-builder/demo-project/command-builder.yaml"
for page in train test predict; do
  expect_file "command-builder/demo-project/runners/$page.py"
done

junk=$(find "$root" -name '__pycache__' -o -name '*.pyc' -o -name '*~')
if [ -z "$junk" ]; then
  ok "no __pycache__ or *.pyc installed"
else
  fail "installed junk: $junk"
fi

# The service starts the installed binary in service mode.
service="$share/dbus-1/services/$app_id.service"
if [ -f "$service" ]; then
  if grep -qx "Name=$app_id" "$service" &&
     grep -qx "Exec=$prefix/bin/command-builder --gapplication-service" "$service"; then
    ok "the D-Bus service runs $prefix/bin/command-builder --gapplication-service"
  else
    fail "unexpected D-Bus service file:"; sed 's/^/#   /' "$service"
  fi
fi

desktop="$share/applications/$app_id.desktop"
if [ -f "$desktop" ]; then
  grep -q '^DBusActivatable=true' "$desktop" && ok "the desktop file is D-Bus activatable" \
    || fail "the desktop file is not DBusActivatable"
  grep -q '^Name\[ko\]=' "$desktop" && ok "the desktop file has the Korean name" \
    || fail "the desktop file has no Name[ko] (translations not merged)"
  if command -v desktop-file-validate >/dev/null; then
    out=$(desktop-file-validate "$desktop" 2>&1)
    [ -z "$out" ] && ok "desktop-file-validate" || fail "desktop-file-validate: $out"
  fi
fi

metainfo="$share/metainfo/$app_id.metainfo.xml"
if [ -f "$metainfo" ] && command -v appstreamcli >/dev/null; then
  if appstreamcli validate --no-net "$metainfo" >"$tmp/as.log" 2>&1; then
    ok "appstreamcli validate"
  else
    fail "appstreamcli validate"; sed 's/^/#   /' "$tmp/as.log"
  fi
  grep -q 'xml:lang="ko"' "$metainfo" && ok "the metainfo has Korean strings" \
    || fail "the metainfo has no xml:lang=\"ko\" (translations not merged)"
fi

# What a distribution's post-install step (gnome.post_install) does outside a DESTDIR.
if glib-compile-schemas --strict "$share/glib-2.0/schemas" 2>"$tmp/schemas.log"; then
  ok "the installed GSettings schema compiles"
else
  fail "glib-compile-schemas on the installed schema"; cat "$tmp/schemas.log"
fi

if command -v man >/dev/null && [ -f "$share/man/man1/command-builder.1" ]; then
  out=$(MANWIDTH=80 man --warnings -l "$share/man/man1/command-builder.1" 2>&1 >"$tmp/man.txt")
  if [ -z "$out" ] && grep -q 'list-checkpoints' "$tmp/man.txt"; then
    ok "the man page renders without warnings"
  else
    fail "man -l: $out"
  fi
fi

# ---- The installed binary, headless ----------------------------------------------------
# bin/command-builder links the core alone (a headless command loads no GTK) and execs
# libexec/command-builder-gui for the window (src/core/cb-install.c).
gui=$(find "$root" -path '*/libexec/command-builder-gui' -type f | head -n 1)
if [ -n "$gui" ] && [ -x "$gui" ]; then
  ok "installed ${gui#"$dest"}"
else
  fail "no libexec/command-builder-gui under the destdir"
fi
# Alone, without the window's program beside it or in a libexec folder, it says so.
mkdir -p "$tmp/alone/bin"
cp "$bin" "$tmp/alone/bin/"
if [ ! -e "/usr/local/libexec/command-builder-gui" ]; then
  out=$("$tmp/alone/bin/command-builder" 2>&1)
  status=$?
  if [ $status -eq 1 ] && [[ "$out" == *"command-builder-gui is not installed"* ]]; then
    ok "without the window's program: exit 1 and '$out'"
  else
    fail "without the window's program: exit $status, '$out'"
  fi
fi
if command -v ldd >/dev/null; then
  if ldd "$bin" | grep -qE 'libgtk-4|libadwaita|libvte'; then
    fail "bin/command-builder links GTK, libadwaita or VTE: $(ldd "$bin" | grep -oE 'lib(gtk-4|adwaita|vte)[^ ]*' | tr '\n' ' ')"
  else
    ok "bin/command-builder loads no GTK, libadwaita or VTE"
  fi
fi
version=$("$bin" --version)
[ "$version" = "Command Builder 0.1.0" ] && ok "--version: $version" \
  || fail "--version printed '$version'"

# The catalogues are found beside the binary (gettext ignores LANGUAGE in the C locale).
if LANGUAGE=ko LC_ALL=C.UTF-8 "$bin" --help 2>&1 | grep -q '프로젝트'; then
  ok "the installed binary finds its Korean catalogue"
else
  fail "the installed binary does not find share/locale beside it"
fi

# Mark the installed schema, so the output tells which schemas the binary read.
sed -i 's/default: "ocr_training"/default: "installed_schemas"/' \
  "$share/command-builder/schemas/train.yaml"

project="$tmp/project"
cp -r "$share/command-builder/demo-project" "$project"

cd "$tmp" || exit 1
out=$("$bin" --project "$project" print train 2>"$tmp/print.log")
status=$?
if [ $status -eq 0 ] && [[ "$out" == "python3 runners/train.py exp_name=installed_schemas"* ]]; then
  ok "print train uses the installed schemas"
else
  fail "print train (status $status): $out"; sed 's/^/#   /' "$tmp/print.log"
fi
if [[ "$out" == *" model/architectures=dbnet "* ]] && [[ "$out" == *" seed=42 "* ]]; then
  ok "print train: the installed demo project's configs give the expected command"
else
  fail "print train: unexpected command: $out"
fi

# A checkpoint is never taken for the user: without one, print test names the field.
out=$("$bin" --project "$project" print test 2>&1)
status=$?
[ $status -eq 2 ] && [[ "$out" == *"'Checkpoint Path' is required."* ]] \
  && ok "print test without a checkpoint exits 2 naming the field" \
  || fail "print test without a checkpoint (status $status): $out"
ckpt=$("$bin" --project "$project" list-checkpoints | head -n 1 | cut -f 1)
out=$("$bin" --project "$project" print test "checkpoint_path=$ckpt" 2>&1)
[[ "$out" == "python3 runners/test.py "*"checkpoint_path="*"outputs/"* ]] \
  && ok "print test takes a checkpoint the installed demo's scan lists" || fail "print test: $out"

out=$("$bin" --project "$project" check 2>&1)
status=$?
[ $status -eq 0 ] && ok "check: $out" || fail "check (status $status): $out"

# No --project and no configs/ here: the bundled demo project is copied to the user's data.
out=$("$bin" print predict checkpoint_path=outputs/3/checkpoints/last.ckpt 2>&1)
status=$?
if [ $status -eq 0 ] && [[ "$out" == "python3 runners/predict.py "* ]] &&
   [ -f "$XDG_DATA_HOME/command-builder/demo-project/command-builder.yaml" ]; then
  ok "without --project the installed demo is copied to \$XDG_DATA_HOME"
else
  fail "print predict without --project (status $status): $out"
fi

# The demo runner itself works from the installed copy.
if command -v python3 >/dev/null; then
  mapfile -t argv < <("$bin" --project "$project" print train --argv)
  if [ ${#argv[@]} -gt 1 ] &&
     (cd "$project" && CB_DEMO_FAST=1 NO_COLOR=1 "${argv[@]}") >"$tmp/run.log" 2>&1 &&
     [ -n "$(find "$project/outputs" -newer "$project/command-builder.yaml" -name '*.ckpt')" ]
  then
    ok "the printed train command runs in the installed demo and writes a checkpoint"
  else
    fail "the train runner failed (${argv[*]}):"; tail -n 20 "$tmp/run.log" | sed 's/^/#   /'
  fi
fi

if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
