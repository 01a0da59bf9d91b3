# lib.sh - sourced by the benchmark scripts.

# best_of_3 OUT command...: runs command three times, its output into OUT, and sets best (the
# fastest wall time), rss (that run's peak RSS, KiB) and cpu (its user+sys seconds). CPU time is
# what the ratios use: it barely moves when other work shares the machine, wall time does.
best_of_3() {
  _out=$1; shift
  best=""; rss=""; cpu=""
  for _i in 1 2 3; do
    /usr/bin/time -f "%e %M %U %S" -o "$_out.t" "$@" >"$_out" 2>/dev/null || true
    read -r _t _m _u _s <<EOF_T
$(tail -n 1 "$_out.t")
EOF_T
    if [ -z "$best" ] || awk "BEGIN{exit !($_t < $best)}"; then
      best=$_t; rss=$_m; cpu=$(awk "BEGIN{print $_u + $_s}")
    fi
  done
  rm -f "$_out.t"
}
