// Section B: idle timeout (items 17 and 18). The fixture's 60 s idle timeout is
// shortened to 1.5 s with --idle-timeout-ms; items scale accordingly (60 s → 1.5 s,
// heartbeats every 30 s for 3 min → every 500 ms for 5 s).
import assert from "node:assert/strict";
import { useServer, test, openRaw, sleep } from "./harness.mjs";

const IDLE_MS = 1500;
const server = useServer({ args: ["--idle-timeout-ms", String(IDLE_MS)] });

test("17 idle connection closed shortly after the idle timeout", async (t) => {
  // Timed from the upgrade request: the server's idle clock starts when the upgrade
  // completes, which on a loaded machine can be well before the client sees it.
  const requested = Date.now();
  const raw = await openRaw(t, server);
  const info = await raw.closed(IDLE_MS + 4000);
  const elapsed = info.at - requested;
  assert.ok(elapsed >= IDLE_MS - 100, `closed after ${elapsed} ms, before the ${IDLE_MS} ms idle timeout`);
  assert.ok(elapsed <= IDLE_MS + 1500, `closed after ${elapsed} ms, long after the ${IDLE_MS} ms idle timeout`);
  // any close code is acceptable (reference: 1000 with Cowboy, 1002 with Bandit)
  assert.equal(typeof info.code, "number");
});

test("18 heartbeats keep the connection alive", async (t) => {
  const raw = await openRaw(t, server);
  const start = Date.now();
  let n = 0;
  while (Date.now() - start < 5000) {
    await sleep(500);
    assert.ok(raw.isOpen, `connection closed after ${Date.now() - start} ms despite heartbeats`);
    await raw.heartbeat(`k${++n}`);
  }
  assert.ok(n >= 9);
  await sleep(300);
  assert.ok(raw.isOpen, "connection closed despite heartbeats");
  await raw.heartbeat("last");
});
