#!/usr/bin/env bash
# Installs what the project needs and is missing, following
# shared/toolchain.md: the wasm32 target, Trunk, the wasm-bindgen CLI at the
# version in Cargo.lock, wasm-opt (binaryen) and esbuild from npm, Chromium with its
# driver, brotli, PostgreSQL (for the storage tests), and playwright-core
# (the end-to-end test). A tool already there at the right version is skipped;
# one that cannot be installed stops the script with a message saying which.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
ESBUILD_VERSION=0.25.12
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: FAILED: %s\n' "$*" >&2; exit 1; }
has_version() { # command, text its --version must contain
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF -- "$2"
}

command -v cargo >/dev/null || fail "cargo is not on PATH (install Rust with rustup first)"
[ -n "$WASM_BINDGEN_VERSION" ] || fail "cannot read the wasm-bindgen version from Cargo.lock"

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target: present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown || fail "rustup target add wasm32-unknown-unknown"
fi

if has_version trunk "trunk $TRUNK_VERSION"; then
  say "trunk $TRUNK_VERSION: present"
else
  say "installing trunk $TRUNK_VERSION (about 15 minutes on 2 cores)"
  cargo install --locked trunk --version "=$TRUNK_VERSION" || fail "cargo install trunk $TRUNK_VERSION"
fi

if has_version wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION" \
  && has_version wasm-bindgen-test-runner "$WASM_BINDGEN_VERSION"; then
  say "wasm-bindgen $WASM_BINDGEN_VERSION: present"
else
  # --locked fails against this registry (toolchain.md): install without it.
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 8 minutes)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force \
    || fail "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
fi

# wasm-opt, and esbuild, which minifies the wasm-bindgen JS glue of a
# release build (scripts/post-build.sh). Both at once: npm removes from
# .tools what the command installing there does not name.
if has_version wasm-opt "version $BINARYEN_VERSION" && has_version esbuild "$ESBUILD_VERSION"; then
  say "wasm-opt $BINARYEN_VERSION and esbuild $ESBUILD_VERSION: present"
else
  command -v npm >/dev/null || fail "npm is needed to install binaryen (wasm-opt) and esbuild"
  say "installing binaryen@$BINARYEN_VERSION (wasm-opt) and esbuild@$ESBUILD_VERSION into .tools"
  npm install --silent --no-save --prefix "$ROOT/.tools" "binaryen@$BINARYEN_VERSION" "esbuild@$ESBUILD_VERSION" \
    || fail "npm install binaryen@$BINARYEN_VERSION esbuild@$ESBUILD_VERSION"
  has_version wasm-opt "version $BINARYEN_VERSION" || fail "wasm-opt $BINARYEN_VERSION does not run"
  has_version esbuild "$ESBUILD_VERSION" || fail "esbuild $ESBUILD_VERSION does not run"
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v brotli >/dev/null || missing+=(brotli)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# The test database's TLS certificates (scripts/postgres.sh).
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -eq 0 ]; then
  say "chromium, chromedriver, brotli, postgresql, openssl: present"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "need root (or sudo) to apt-get install ${missing[*]}"
    sudo="sudo"
  fi
  say "installing ${missing[*]} from Debian"
  $sudo apt-get update -qq || fail "apt-get update"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]}"
fi
chromium --version >/dev/null 2>&1 || fail "chromium does not run"
chromedriver --version >/dev/null 2>&1 || fail "chromedriver does not run"

# The end-to-end test's packages (playwright-core, axe-core), at the versions
# e2e/package.json pins.
if node -e '
  const deps = require("./e2e/package.json").dependencies;
  for (const [name, version] of Object.entries(deps)) {
    if (require("./e2e/node_modules/" + name + "/package.json").version !== version) process.exit(1);
  }' 2>/dev/null; then
  say "playwright-core, axe-core (end-to-end test), typescript (the declarations' check): present"
else
  say "installing playwright-core, axe-core and typescript into e2e/ (npm ci)"
  npm ci --silent --prefix e2e || fail "npm ci in e2e/"
fi

say "fetching crates (Trunk builds offline)"
cargo fetch --locked >/dev/null || fail "cargo fetch"
say "ready"
