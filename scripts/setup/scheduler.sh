#!/usr/bin/env bash
# Real Nova (Debian's python3-nova, Zed) for the scheduler's side-by-side bench and for
# generating more golden fixtures with /work/shared/anchors/nova_scheduler_bench.py.
set -euo pipefail
if /usr/bin/python3 -c 'import nova.scheduler.filters' >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends python3-nova >/dev/null 2>&1; then
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends python3-nova >/dev/null
fi
