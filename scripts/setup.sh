#!/usr/bin/env bash
# One-command set-up for a fresh Debian 12 machine with Node 20 (root, registries only).
# Installs the system libraries that `canvas` builds against, Debian's chromium for the browser
# tests, prometheus (remote write), iproute2 (network namespaces) and kubectl, then `npm ci` and the build. Safe to run again: it only installs what is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }

need_pkgs=()
for p in build-essential libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev pkg-config chromium fonts-noto-core prometheus iproute2; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    need_pkgs+=("$p")
  fi
done
# kubectl (for `capacity-test k8s --apply` and the manifest tests' `kubectl kustomize`): Debian's
# kubernetes-client, unless a kubectl is installed already (it would clash with /usr/bin/kubectl)
if ! command -v kubectl >/dev/null 2>&1; then need_pkgs+=(kubernetes-client); fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_pkgs[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}"
else
  say "Debian packages already present (canvas build libraries, chromium, fonts)"
fi

if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.setup-lock 2>/dev/null; then
  say "node_modules matches package-lock.json; skipping npm ci"
else
  say "npm ci (builds canvas and better-sqlite3 from source: about 2 minutes)"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.setup-lock
fi

say "building TypeScript"
npm run build --silent
say "set-up done"
