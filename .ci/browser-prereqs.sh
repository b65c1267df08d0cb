# Browser-test prerequisites for tests/it/browser/; sourced by .ci/run from the
# repository root (inside its `set -euo pipefail`). Idempotent: apt runs only
# when something is missing, npm only when axe-core is not installed yet.
# Recipe and timings: /work/shared/notes/browser-testing.md, sections 1 and 9.
browser_pkgs=()
command -v chromium     >/dev/null 2>&1 || browser_pkgs+=(chromium fonts-liberation)
command -v chromedriver >/dev/null 2>&1 || browser_pkgs+=(chromium-driver)
command -v pdftotext    >/dev/null 2>&1 || browser_pkgs+=(poppler-utils)
if ((${#browser_pkgs[@]})); then
  echo "ci: apt-get install ${browser_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || { sleep 5; apt-get update -q >/dev/null; }
  apt-get install -y -q --no-install-recommends "${browser_pkgs[@]}" >/dev/null
fi
unset browser_pkgs
chromium --version 2>/dev/null || true
chromedriver --version
# axe-core, pinned by the committed package.json + package-lock.json (node_modules/ is ignored)
[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent
# In CI a missing browser fails the browser tests instead of skipping them.
export REQUIRE_BROWSER=1
