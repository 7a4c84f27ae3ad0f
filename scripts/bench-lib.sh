# Shared by scripts/bench-status and scripts/bench-tui (sourced, not run). The caller sets
# `set -euo pipefail`, `cd`s to the repository, sets BENCH (its name, for messages) and creates
# $tmp before start_sandbox.

die() {
  echo "$BENCH: $*" >&2
  exit 1
}

# positive NAME VALUE: dies unless VALUE is a positive integer.
positive() {
  [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer"
}

# Sets CAWIZ_BIN: the release build (built now), unless CAWIZ_BIN already names a binary.
cawiz_bin() {
  if [[ -z ${CAWIZ_BIN:-} ]]; then
    echo "$BENCH: building cawiz (release; set CAWIZ_BIN to use another binary)" >&2
    cargo build --release --locked >&2
    CAWIZ_BIN=target/release/cawiz
  fi
  [[ -x $CAWIZ_BIN ]] || die "$CAWIZ_BIN is not an executable (set CAWIZ_BIN, or unset it to build)"
}

# Nothing from the caller's AWS or GitHub setup may leak in: only the sandbox's banner counts.
isolate_aws() {
  unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL GH_TOKEN GITHUB_TOKEN \
    GITHUB_API_URL AWS_ENDPOINT_URL_IAM AWS_ENDPOINT_URL_STS AWS_ENDPOINT_URL_CODEARTIFACT
  export AWS_CONFIG_FILE=$tmp/aws-config AWS_SHARED_CREDENTIALS_FILE=$tmp/aws-credentials
  export AWS_EC2_METADATA_DISABLED=true
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# start_sandbox SCENARIO LATENCY NAME: starts `cawiz sandbox`, waits for its banner
# ($tmp/NAME.banner) and appends its pid to sandbox_pids (stop_sandboxes stops them).
sandbox_pids=()
start_sandbox() {
  local scenario=$1 latency=$2 banner=$tmp/$3.banner pid deadline
  "$CAWIZ_BIN" sandbox --scenario "$scenario" --port 0 --latency-ms "$latency" \
    >"$banner" 2>"$tmp/$3.err" &
  pid=$!
  sandbox_pids+=("$pid")
  deadline=$((SECONDS + 60))
  until grep -q '^Press Ctrl-C' "$banner" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$banner" "$tmp/$3.err" >&2
      die "the sandbox exited before printing its banner"
    fi
    ((SECONDS < deadline)) || die "the sandbox printed no banner within 60 s"
    sleep 0.1
  done
}

# banner_value NAME VARIABLE: what sandbox NAME's banner exports as VARIABLE.
banner_value() {
  sed -n "s/^ *export $2=//p" "$tmp/$1.banner"
}

stop_sandboxes() {
  local pid
  for pid in "${sandbox_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
