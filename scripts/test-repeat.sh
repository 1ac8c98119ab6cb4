#!/usr/bin/env bash
# `npm run test:repeat -- N`: runs the whole suite (`npm test`: build, layer rules, every test) N times in a
# row while a busy loop keeps one core at 100 %, to prove the tests do not depend on timing. Prints each
# run's passed/failed counts (and the failed tests' names), the load average, and a summary; exits non-zero
# when any run failed. The busy loop is stopped however the script ends (trap on EXIT).
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: npm run test:repeat -- N   (N = number of runs, a positive integer; got '$runs')" >&2
  exit 2
fi

mkdir -p .tmp
load_pid=''
stop_load() {
  if [[ -n $load_pid ]]; then
    kill "$load_pid" 2>/dev/null
    wait "$load_pid" 2>/dev/null
    load_pid=''
  fi
}
trap stop_load EXIT
trap 'exit 130' INT TERM

# The extra CPU load: one core busy for the whole repetition.
bash -c 'while :; do :; done' &
load_pid=$!
echo "::: test:repeat: $runs run(s) of npm test, $(nproc) cores, busy loop on one core (pid $load_pid)"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
failed_runs=0
total_passed=0
total_failed=0
summary=()
for ((run = 1; run <= runs; run++)); do
  report=".tmp/test-repeat-$run.json"
  rm -f "$report"
  started=$SECONDS
  echo "::: run $run/$runs started, load average $(loadavg)"
  npm test -- --reporter=dot --reporter=json --outputFile.json="$report"
  status=$?
  if [[ -f $report ]]; then
    # "passed failed" on the first line, then one line per failed test.
    counts=$(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const failedFiles = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed"));
      console.log(`${r.numPassedTests} ${r.numFailedTests + failedFiles.length}`);
      for (const f of r.testResults) {
        for (const a of f.assertionResults) if (a.status === "failed") console.log(`  FAILED ${f.name.replace(process.cwd() + "/", "")} > ${a.fullName}`);
      }
      for (const f of failedFiles) console.log(`  FAILED ${f.name.replace(process.cwd() + "/", "")} (file: ${(f.message || "").split("\n")[0]})`);
    ' "$report")
    read -r passed failed <<<"$(head -n1 <<<"$counts")"
    failures=$(tail -n +2 <<<"$counts")
  else
    passed=0 failed=1 failures='  no report written (the build or the layer rules failed before the tests ran)'
  fi
  [[ $status -ne 0 && $failed -eq 0 ]] && failed=1 failures='  npm test exited non-zero with no failed test in the report'
  line="run $run/$runs: $passed passed, $failed failed, $((SECONDS - started)) s, load average $(loadavg)"
  echo "::: $line"
  [[ -n $failures ]] && echo "$failures"
  summary+=("$line" ${failures:+"$failures"})
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [[ $failed -gt 0 ]] && failed_runs=$((failed_runs + 1))
done
stop_load

echo '::: test:repeat summary'
printf '%s\n' "${summary[@]}"
echo "::: $runs run(s): $total_passed passed, $total_failed failed; $failed_runs run(s) with failures"
[[ $failed_runs -eq 0 ]]
