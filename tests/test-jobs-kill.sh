#!/usr/bin/env bash
# A run outlives its app (issue 18): the demo training is started with Run (Ctrl+Return) in
# the window, the app is killed with SIGKILL while the run goes, and the run still finishes
# and writes its checkpoint; `command-builder jobs` then says it finished with status 0, and
# the next start of the app shows it, ended.
#
#   bash tests/test-jobs-kill.sh BINARY        (meson test, under xvfb-run)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

bin=${1:-${CB_BINARY:-}}
here=$(cd "$(dirname "$0")" && pwd)
source_root=$(dirname "$here")
skip() { echo "SKIP: $*"; exit 77; }

[ -n "$bin" ] && [ -x "$bin" ] || { echo "usage: test-jobs-kill.sh BINARY" >&2; exit 2; }
case $bin in /*) ;; *) bin="$PWD/$bin" ;; esac
[ -n "${DISPLAY:-}" ] || skip "no DISPLAY (run under xvfb-run)"
for tool in xdotool dbus-run-session tmux; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cb-test-jobs-kill.XXXXXX")
app_pid=''
cleanup() {
  [ -n "$app_pid" ] && kill -9 "$app_pid" 2>/dev/null
  tmux -L command-builder kill-server 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() { echo "not ok: $*"; failures=$((failures + 1)); }
wait_for() {
  local limit=$1 i=0
  shift
  while ! "$@"; do
    i=$((i + 1))
    [ $i -ge $((limit * 10)) ] && return 1
    sleep 0.1
  done
}

cp -r "$source_root/data/demo-project" "$tmp/project"
mkdir -p "$tmp/tmux"
export XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
export TMUX_TMPDIR="$tmp/tmux" GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GTK_A11Y=none
unset TMUX
# The demo run takes about 6 s: time to kill the app while it goes.
export CB_DEMO_SECONDS=6

start_app() {
  dbus-run-session -- "$bin" --project "$tmp/project" >>"$tmp/app.log" 2>&1 &
  win=''
  wait_for 30 eval 'win=$(xdotool search --name "Command Builder|demo" 2>/dev/null | head -n 1); [ -n "$win" ]'
}
job_file() { grep -ls '^state=running' "$XDG_STATE_HOME"/command-builder/jobs/*/*.ini 2>/dev/null | head -n 1; }

start_app || { fail "no window"; cat "$tmp/app.log"; exit 1; }
sleep 1
xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
xdotool key --window "$win" ctrl+Return
if ! wait_for 20 eval '[ -n "$(job_file)" ]'; then
  fail "Run started no job"; cat "$tmp/app.log"; exit 1
fi
job=$(job_file)
id=$(basename "$job" .ini)
echo "ok: Run started job $id"
sleep 1

# SIGKILL to the app itself (dbus-run-session's child).
pid=$(pgrep -n -f -- "$bin --project $tmp/project" | head -n 1)
kill -9 "$pid"
wait_for 10 eval '! kill -0 '"$pid"' 2>/dev/null' || fail "the app did not die"
if tmux -L command-builder has-session -t "=cb-$id" 2>/dev/null; then
  echo "ok: the run goes on after kill -9 of the app"
else
  fail "the run's session went with the app"
fi

status_file="${job%.ini}.status"
if wait_for 60 test -f "$status_file"; then
  [ "$(cat "$status_file")" = 0 ] && echo "ok: the run finished with status 0" ||
    fail "the run ended with status $(cat "$status_file")"
else
  fail "the run did not finish"
fi
exp=$(sed -n 's/^argv=.*exp_name=\([^;]*\);.*/\1/p' "$job")
if ls "$tmp/project/outputs/$exp/checkpoints/"*.ckpt >/dev/null 2>&1; then
  echo "ok: the run wrote its checkpoints ($(ls "$tmp/project/outputs/$exp/checkpoints" | tr '\n' ' '))"
else
  fail "no checkpoint in outputs/$exp/checkpoints"
fi

# The headless list knows how it ended.
line=$("$bin" --project "$tmp/project" jobs 2>&1 | grep "^$id")
case "$line" in
  *"	finished	0	local	train	"*) echo "ok: jobs: $line" ;;
  *) fail "jobs says: $line" ;;
esac

# And the run history has it as finished, not interrupted.
runs=$("$bin" --project "$tmp/project" runs 2>&1 | grep -F "$exp")
case "$runs" in
  *"	finished	0	"*) echo "ok: runs: finished 0" ;;
  *) fail "runs says: $runs" ;;
esac

exit $((failures > 0))
