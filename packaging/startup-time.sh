#!/usr/bin/env bash
# Seconds from launch to the window being mapped (eframe shows the window right after
# painting its first frame), five runs, on an Xvfb display with Mesa's llvmpipe:
#   packaging/startup-time.sh BINARY [ARGS...]
# Needs Xvfb, xdotool and bc.
set -u
bin=("$@")
Xvfb :77 -screen 0 1400x900x24 >/dev/null 2>&1 & xpid=$!
sleep 1
for i in 1 2 3 4 5; do
  start=$(date +%s.%N)
  DISPLAY=:77 "${bin[@]}" >/dev/null 2>&1 & pid=$!
  if DISPLAY=:77 timeout 60 xdotool search --sync --onlyvisible --name "Pistas" >/dev/null 2>&1; then
    end=$(date +%s.%N)
    echo "$end - $start" | bc
  else
    echo "run $i: no window within 60 s"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null
  sleep 0.5
done
kill "$xpid"
