#!/usr/bin/env bash
# End-to-end test of the single instance and its D-Bus interface, driven from outside as a
# user or a script would: `gapplication action org.ocrkit.CommandBuilder ACTION [PARAM]`,
# a second `command-builder --project DIR`, and D-Bus activation of `--gapplication-service`.
#
#   bash tests/test-dbus.sh BINARY        (meson test --suite dbus)
#
# Needs an X display (the test suite runs under xvfb-run), dbus-run-session, gdbus,
# gapplication and xdotool; exits 77 (skipped) without them. Reads the clipboard with
# xclip when it is installed. It runs on a private session bus of its own, so it does not
# meet a Command Builder that the user (or another test) has running.
#
# CB_TEST_DBUS_DEBUGGER runs the D-Bus activated service under a debugger, e.g.
# CB_TEST_DBUS_DEBUGGER="gdb -q -batch -ex run -ex bt --args"; its output is in the log.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

app_id=org.ocrkit.CommandBuilder
bin=${1:-${CB_BINARY:-}}
here=$(cd "$(dirname "$0")" && pwd)
source_root=$(dirname "$here")

skip() { echo "SKIP: $*"; exit 77; }

[ -n "$bin" ] && [ -x "$bin" ] || { echo "usage: test-dbus.sh BINARY" >&2; exit 2; }
case $bin in /*) ;; *) bin="$PWD/$bin" ;; esac    # the bus starts the service elsewhere
[ -n "${DISPLAY:-}" ] || skip "no DISPLAY (run under xvfb-run)"
for tool in dbus-run-session gdbus gapplication xdotool python3; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done

# ---- Re-run on a private session bus that can activate the app from our service file ----
if [ -z "${CB_TEST_DBUS_INNER:-}" ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/cb-test-dbus.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/services"
  cat > "$tmp/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=$tmp</listen>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  # What the installed data/org.ocrkit.CommandBuilder.service says, with the built binary;
  # through a script that keeps the service's output and exit status for the log.
  cat > "$tmp/service.sh" <<EOF
#!/bin/sh
${CB_TEST_DBUS_DEBUGGER:-} "$bin" --gapplication-service >>"$tmp/service.log" 2>&1
echo "exit status \$?" >>"$tmp/service.log"
EOF
  chmod +x "$tmp/service.sh"
  printf '[D-BUS Service]\nName=%s\nExec=%s\n' "$app_id" "$tmp/service.sh" \
    > "$tmp/services/$app_id.service"
  export LIBC_FATAL_STDERR_=1

  # The bus daemon hands its environment to the services it activates.
  export CB_TEST_DBUS_INNER=1 CB_TEST_TMP="$tmp"
  export GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GTK_A11Y=none
  export XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
  export XDG_CACHE_HOME="$tmp/cache"
  export CB_DEMO_FAST=1 NO_COLOR=1
  unset CB_DEMO_SECONDS
  dbus-run-session --config-file="$tmp/session.conf" -- bash "$0" "$bin"
  exit $?
fi

# ---- Inside the private bus ------------------------------------------------------------
tmp=$CB_TEST_TMP
failures=0
app_pid=''

note() { echo "# $*"; }
ok()   { echo "ok - $*"; }
fail() { echo "not ok - $*"; failures=$((failures + 1)); }

has_owner() {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$app_id" 2>/dev/null | grep -q true
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s.
wait_for() {
  local limit=$(($1 * 10)) i=0
  shift
  while [ $i -lt $limit ]; do
    "$@" && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

action() {
  gapplication action "$app_id" "$@"
}

window_named() {
  xdotool search --name "$1" >/dev/null 2>&1
}

clipboard() {
  xclip -o -selection clipboard 2>/dev/null
}

# Copies the visible page's command and checks it against the headless `print` of PAGE.
check_copy() {
  local page=$1 project=$2 expected got
  expected=$("$bin" --project "$project" print "$page" 2>/dev/null)
  if ! command -v xclip >/dev/null; then
    note "xclip is not installed: not reading the clipboard"
    return
  fi
  printf '' | xclip -selection clipboard -i 2>/dev/null
  action copy-command || { fail "copy-command ($page) returned an error"; return; }
  if ! wait_for 5 eval '[ -n "$(clipboard)" ]'; then
    fail "copy-command ($page): the clipboard stayed empty"
    return
  fi
  got=$(clipboard)
  if [ -z "$expected" ] && [[ "$got" == *"runners/$page.py "* ]] &&
     [[ "$got" != *checkpoint_path=* ]]; then
    # print refuses a page whose checkpoint nobody chose; the window copies what it shows.
    ok "switch-page '$page' + copy-command: the $page command, with no checkpoint chosen for the user"
  elif [ "$got" = "$expected" ]; then
    ok "switch-page '$page' + copy-command: the clipboard holds the $page command"
  else
    fail "switch-page '$page' + copy-command: clipboard differs from 'print $page'"
    note "clipboard: $got"
    note "print:     $expected"
  fi
}

checkpoints() {
  find "$1/outputs" -name '*.ckpt' 2>/dev/null | sort
}

# PIDs of the runner processes started in project folder $1.
runner_pids() {
  local pid
  for pid in $(pgrep -f 'runners/(train|test|predict)\.py' 2>/dev/null); do
    [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$1" ] && echo "$pid"
  done
}

# Whether no runner process is left in project folder $1 (a function: wait_for must ask again
# each time, not test the list as it was when the wait began).
no_runner() { [ -z "$(runner_pids "$1")" ]; }

start_app() {
  "$bin" "$@" >>"$tmp/app.log" 2>&1 &
  app_pid=$!
  wait_for 20 has_owner
}

quit_app() {
  action quit >/dev/null 2>&1
  if ! wait_for 10 eval '! has_owner'; then
    fail "the application did not quit"
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  fi
  [ -n "$app_pid" ] && wait "$app_pid" 2>/dev/null
  app_pid=''
}

cleanup() {
  if [ -n "$app_pid" ]; then
    kill "$app_pid" 2>/dev/null
    wait "$app_pid" 2>/dev/null
  fi
}
trap cleanup EXIT

# Two projects, copies of the demo; names that tell their windows apart.
proj_a="$tmp/cb-dbus-alpha"
proj_b="$tmp/cb-dbus-beta"
for p in "$proj_a" "$proj_b"; do
  cp -r "$source_root/data/demo-project" "$p"
  rm -rf "$p/runners/__pycache__"
done

# ---- 1. D-Bus activation: an action wakes the service, which opens a window -------------
note "D-Bus activation (--gapplication-service)"
if has_owner; then
  fail "$app_id is owned before the test started"
fi
if action switch-page "'test'" && wait_for 20 has_owner; then
  ok "gapplication action activated the service"
  if wait_for 20 window_named 'Command Builder'; then
    ok "the activated service opened a window"
    if command -v xclip >/dev/null; then
      printf '' | xclip -selection clipboard -i 2>/dev/null
      sleep 1
      action copy-command
      if wait_for 5 eval 'clipboard | grep -q "runners/test.py"'; then
        ok "the activated service switched to the test page"
      else
        fail "the activated service did not show the test page: '$(clipboard)'"
      fi
    fi
  else
    fail "the activated service opened no window"
  fi
else
  fail "gapplication action could not activate $app_id"
fi
quit_app

# ---- 2. The first instance, driven from outside ----------------------------------------
note "single instance on $proj_a"
if ! start_app --project "$proj_a"; then
  fail "command-builder --project did not own $app_id within 20 s"
  cat "$tmp/app.log"
  exit 1
fi
ok "command-builder owns $app_id"
wait_for 20 window_named 'cb-dbus-alpha' && ok "the window shows cb-dbus-alpha" \
  || fail "no window titled after cb-dbus-alpha"

action switch-page "'test'" || fail "switch-page 'test' returned an error"
sleep 1
check_copy test "$proj_a"

action switch-page "'train'" || fail "switch-page 'train' returned an error"
sleep 1
check_copy train "$proj_a"

# A page that does not exist is ignored, not fatal.
action switch-page "'nope'" >/dev/null 2>&1
sleep 0.3
kill -0 "$app_pid" 2>/dev/null && ok "switch-page 'nope' is ignored" \
  || fail "switch-page 'nope' ended the application"

# run: the train page's command, CB_DEMO_FAST, writes a new checkpoint.
# Whether the window said (after line $log_mark of the log) that it has no win.run.
no_run_action() { tail -n "+$((log_mark + 1))" "$tmp/app.log" | grep -q 'has no action win.run'; }
log_mark=$(wc -l < "$tmp/app.log")
before=$(checkpoints "$proj_a")
action run || fail "run returned an error"
new_checkpoint() { [ "$(checkpoints "$proj_a")" != "$before" ] || no_run_action; }
if wait_for 30 new_checkpoint && ! no_run_action; then
  ok "run: the train command wrote a new checkpoint"
else
  fail "run: no new checkpoint under $proj_a/outputs within 30 s"
  no_run_action && note "the window has no win.run action"
fi
if ! wait_for 40 no_runner "$proj_a"; then
  fail "run: the runner did not finish"
  ps -o pid,ppid,pgid,stat,etime,args -p "$(runner_pids "$proj_a" | paste -sd,)" | sed 's/^/#   /'
fi

# A second launch hands its --project to the running instance and exits at once.
note "second launch with --project $proj_b"
start=$(date +%s%N)
timeout 15 "$bin" --project "$proj_b" >>"$tmp/app.log" 2>&1
status=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
if [ $status -eq 0 ] && [ $elapsed_ms -lt 5000 ]; then
  ok "the second launch exited with 0 after $elapsed_ms ms"
else
  fail "the second launch exited with $status after $elapsed_ms ms"
fi
kill -0 "$app_pid" 2>/dev/null && ok "the first instance is still running" \
  || fail "the first instance is gone"
wait_for 10 window_named 'cb-dbus-beta' && ok "the running instance shows cb-dbus-beta" \
  || fail "the running instance does not show cb-dbus-beta"

# open-project with a path.
action open-project "'$proj_a'" || fail "open-project returned an error"
wait_for 10 window_named 'cb-dbus-alpha' && ok "open-project: the window shows cb-dbus-alpha" \
  || fail "open-project: the window does not show cb-dbus-alpha"
quit_app

# ---- 3. stop ends a long run and its processes -----------------------------------------
note "stop during a long run on $proj_b"
export CB_DEMO_SECONDS=60
unset CB_DEMO_FAST
if start_app --project "$proj_b"; then
  wait_for 20 window_named 'cb-dbus-beta'
  action switch-page "'train'"
  sleep 0.5
  log_mark=$(wc -l < "$tmp/app.log")
  action run || fail "run returned an error"
  runner_started() { [ -n "$(runner_pids "$proj_b")" ] || no_run_action; }
  if wait_for 20 runner_started && ! no_run_action; then
    ok "run: the long train run is running (pid $(runner_pids "$proj_b" | tr '\n' ' '))"
    # win.stop is enabled once the window knows the run started: its title says so.
    if wait_for 20 window_named 'cb-dbus-beta.*Running'; then
      ok "the window title says the command is running"
    else
      fail "the window title does not say that the command is running"
    fi
    action stop || fail "stop returned an error"
    if wait_for 20 no_runner "$proj_b"; then
      ok "stop: no runner process is left"
      wait_for 10 eval '! window_named "cb-dbus-beta.*Running"' \
        && ok "the window title no longer says running" \
        || fail "the window title still says running"
    else
      fail "stop: the runner is still running"
      ps -o pid,ppid,pgid,stat,etime,args -p "$(runner_pids "$proj_b" | paste -sd,)" | sed 's/^/#   /'
      for pid in $(runner_pids "$proj_b"); do kill -KILL "$pid" 2>/dev/null; done
    fi
  else
    fail "run: no runner process appeared in $proj_b"
    no_run_action && note "the window has no win.run action"
  fi
  quit_app
else
  fail "command-builder --project $proj_b did not start"
fi

if [ $failures -gt 0 ]; then
  note "application log:"
  sed 's/^/#   /' "$tmp/app.log"
  note "D-Bus activated service log:"
  sed 's/^/#   /' "$tmp/service.log" 2>/dev/null
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
exit 0
