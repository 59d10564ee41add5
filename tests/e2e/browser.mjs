// Browser side of Pair's end-to-end tests: launches Debian's Chromium headless through
// playwright-core (no browser download: the executable is the system one) and says
// where screenshots go.
//
//   const browser = await launchChromium();
//   const file = artifactPath("pair-room.png");
//
// Env: CHROMIUM (default /usr/bin/chromium), PAIR_E2E_ARTIFACTS (default
// <repo>/build/test-artifacts/e2e; tests/e2e.cmake sets it to the build tree's).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "..", "..");

// Flags that keep a test browser quiet and self-contained: no sandbox (CI runs as
// root, where Chromium's sandbox cannot start), no GPU on a headless server, no QUIC
// or background traffic to outside hosts, no first-run or sync prompts. Playwright
// gives every launch a fresh temporary --user-data-dir of its own.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium() {
  const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath} (install Debian's chromium, e.g. scripts/setup)`);
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
}

export function artifactPath(name) {
  const dir = process.env.PAIR_E2E_ARTIFACTS ?? path.join(repoRoot, "build", "test-artifacts", "e2e");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
