#!/usr/bin/env bash
# Prepares a Debian machine (root) for the test suite and CI: Docker Engine, Debian's registry
# binary (the tests' local image registry), htpasswd (its basic-auth file) and tmux (terminal tests),
# then starts dockerd in the background if no daemon answers. Idempotent: rerun at will.
#
# The daemon is started with --bridge=none and without iptables rules, so it creates no network
# interface beyond loopback: our containers only ever run with --network host or --network none,
# and builds with --network none. It listens on its unix socket only.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-machine: run as root (apt-get and dockerd need it)" >&2
  exit 1
fi

DOCKERD_LOG=${DOCKERD_LOG:-/var/log/batch-snowflake-dockerd.log}
DOCKERD_PIDFILE=${DOCKERD_PIDFILE:-/run/batch-snowflake-dockerd.pid}
DOCKER_WAIT_SECONDS=${DOCKER_WAIT_SECONDS:-60}
APT_PACKAGES=(docker.io docker-registry apache2-utils tmux)

missing_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || echo "$pkg"
  done
}

install_packages() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  if [[ -z ${missing// /} ]]; then
    echo "setup-machine: packages already installed (${APT_PACKAGES[*]})"
    return
  fi
  echo "setup-machine: installing $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

docker_answers() {
  timeout 10 docker info >/dev/null 2>&1
}

start_dockerd() {
  if docker_answers; then
    echo "setup-machine: a Docker daemon already answers"
    return
  fi
  echo "setup-machine: starting dockerd (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  # setsid + nohup: the daemon outlives this script and the shell that ran it.
  setsid nohup dockerd \
    --host=unix:///var/run/docker.sock \
    --bridge=none --iptables=false --ip6tables=false \
    --pidfile="$DOCKERD_PIDFILE" \
    >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local deadline=$((SECONDS + DOCKER_WAIT_SECONDS))
  until docker_answers; do
    if ((SECONDS >= deadline)); then
      echo "setup-machine: dockerd did not answer within ${DOCKER_WAIT_SECONDS}s; last log lines:" >&2
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  echo "setup-machine: dockerd is up"
}

install_packages
for tool in docker dockerd docker-registry htpasswd tmux; do
  command -v "$tool" >/dev/null || { echo "setup-machine: $tool missing after install" >&2; exit 1; }
done
start_dockerd
docker version --format 'setup-machine: docker client {{.Client.Version}}, server {{.Server.Version}}'
