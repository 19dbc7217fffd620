#!/usr/bin/env bash
# Seconds from launch to the window being mapped (eframe shows it after its first frame).
bin=$1
Xvfb :77 -screen 0 1400x900x24 >/dev/null 2>&1 & xpid=$!
sleep 1
for i in 1 2 3 4 5; do
  start=$(date +%s.%N)
  DISPLAY=:77 $bin >/dev/null 2>&1 & pid=$!
  DISPLAY=:77 xdotool search --sync --onlyvisible --name "Pistas" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc)"
  kill $pid; wait $pid 2>/dev/null
  sleep 0.5
done
kill $xpid
