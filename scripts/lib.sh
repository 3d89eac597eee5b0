# Shared by scripts/run and scripts/test: installs what the build needs,
# each step only when it is missing, so both commands work on a fresh
# Debian machine with Rust and Node and stay quick on a warm one.
# Nothing downloads a prebuilt binary: tools come from crates.io and npm,
# the browser from Debian.

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
}

# npm packages: wasm-opt (binaryen), terser and csso (minifying), the
# Vazirmatn font, playwright-core, jsqr (reading QR codes in tests),
# axe-core and lighthouse. Reinstalled when package-lock.json changes.
ensure_node_modules() {
  if ! cmp -s package-lock.json node_modules/.didar-lock 2>/dev/null; then
    step "installing npm packages"
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.didar-lock
  fi
}

# Debian's Chromium (never a browser downloaded by a test tool).
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Debian's chromium"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  fi
}
