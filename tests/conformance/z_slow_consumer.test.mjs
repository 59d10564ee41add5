// Slow consumers: a client that stops reading while its topic is busy is disconnected
// once its outbound budget is exceeded (8 MiB hard, 1 MiB for 5 s soft), the server's
// memory stays bounded while it happens, every well-behaved subscriber receives every
// broadcast, and /metrics counts the disconnect.
import assert from "node:assert/strict";
import fs from "node:fs";
import { useServer, test, openRaw, httpRequest, sleep } from "./harness.mjs";

// In an AddressSanitizer build freed memory waits in a quarantine (256 MiB by default)
// before it is reused, so RSS counts what the server already released. The server gets a
// small quarantine instead and the bound grows by twice that (quarantine plus allocator
// caches): the check still catches a queue that grows with what is offered (36 MB here).
const ASAN_QUARANTINE_MB = 8;
const server = useServer({
  env: { ASAN_OPTIONS: [process.env.ASAN_OPTIONS, `quarantine_size_mb=${ASAN_QUARANTINE_MB}`].filter(Boolean).join(":") },
});
// Which sanitizer runtime the server runs with, if any.
const sanitizer = (pid) => (fs.readFileSync(`/proc/${pid}/maps`, "utf8").match(/lib([at])san\.so/) ?? [])[1];

const rssBytes = (pid) => {
  const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  return Number(m[1]) * 1024;
};

async function metric(name) {
  const res = await httpRequest(server, "GET", "/metrics");
  return Number((res.text.match(new RegExp(`^${name} (\\d+)$`, "m")) ?? [])[1]);
}

test("a client that stops reading is dropped; the others get everything", async (t) => {
  const topic = "room:busy";
  const healthy = await openRaw(t, server);
  await healthy.join(topic);
  const stalled = await openRaw(t, server);
  await stalled.join(topic);
  // From here on the stalled client reads nothing: the kernel buffers fill, then the
  // server's queue for it grows until the budget is exceeded.
  stalled.ws._socket.pause();

  const dropsBefore = await metric("roost_slow_consumer_disconnects_total");
  const rssBefore = rssBytes(server.proc.pid);
  const payload = { blob: "x".repeat(60_000) };
  const count = 600; // ~36 MB offered to each subscriber: several times the hard limit
  let received = 0;
  let peakRss = rssBefore;
  const drain = (async () => {
    while (received < count) {
      const frame = await healthy.next(10_000);
      if (frame[3] === "big") {
        assert.equal(frame[4].n, received, "broadcasts arrive in order, none missing");
        received++;
      }
    }
  })();
  for (let n = 0; n < count; n++) {
    await server.broadcastOk(topic, "big", { ...payload, n });
    if (n % 50 === 0) peakRss = Math.max(peakRss, rssBytes(server.proc.pid));
  }
  await drain;
  assert.equal(received, count);

  // The stalled client is disconnected and counted (the soft limit may take its 5 s).
  const deadline = Date.now() + 10_000;
  let drops = await metric("roost_slow_consumer_disconnects_total");
  while (drops === dropsBefore && Date.now() < deadline) {
    await sleep(200);
    drops = await metric("roost_slow_consumer_disconnects_total");
  }
  assert.equal(drops, dropsBefore + 1, "exactly one slow consumer disconnected");
  peakRss = Math.max(peakRss, rssBytes(server.proc.pid));
  // Bounded: one budget (8 MiB) plus the kernel's share, not the 36 MB offered.
  let boundMiB = 32;
  const runtime = sanitizer(server.proc.pid);
  if (runtime === "a") {
    // Quarantine plus ASan's per-thread caches and redzones around the 60 KB frames.
    boundMiB += 2 * ASAN_QUARANTINE_MB;
    t.diagnostic(`AddressSanitizer build: RSS bound ${boundMiB} MiB (quarantine ${ASAN_QUARANTINE_MB} MiB); 32 MiB in a plain build`);
  } else if (runtime === "t") {
    // ThreadSanitizer's shadow of every byte the server touches counts in its RSS too
    // (about twice the memory itself).
    boundMiB *= 3;
    t.diagnostic(`ThreadSanitizer build: RSS bound ${boundMiB} MiB (shadow memory included); 32 MiB in a plain build`);
  }
  assert.ok(peakRss - rssBefore < boundMiB * 1024 * 1024,
    `server RSS grew by ${((peakRss - rssBefore) / 1048576).toFixed(1)} MiB (bound ${boundMiB} MiB)`);

  // Once resumed, the stalled client sees its connection closed by the server.
  stalled.ws._socket.resume();
  const closed = await stalled.closed(15_000);
  assert.ok(closed, "the slow consumer's connection was closed");

  // The healthy client is unaffected.
  await healthy.heartbeat();
});
