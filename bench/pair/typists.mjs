#!/usr/bin/env node
// Pair typing latency: N simulated typists (default 20) in one challenge room, each an
// @codemirror/collab editor over the real phoenix client (tests/pair/collab_peer.mjs),
// typing one character at a time. For every keystroke it measures, at every OTHER
// client, the time from the `collab:push` that carried it (and, separately, from the
// keystroke itself) to the `collab:updates` broadcast that delivered it. Each keystroke
// inserts a distinct CJK character, so a receiver knows whose keystroke it got.
//
//   ROOST_BIN=build-release/bin node bench/pair/typists.mjs [--typists 20] [--seconds 10]
//        [--interval-ms 150] [--db postgres://...] [--json]
//
// Starts its own Pair (SQLite in a temp dir unless --db) on a free loopback port, stops
// it at the end, and prints p50/p90/p99/max (ms) on stdout. Not part of `make test`.
import { parseArgs } from "node:util";
import { startPair, uniqueEmail, sleep } from "../../tests/pair/pair_harness.mjs";
import { CollabPeer, boundaries, converge, rng } from "../../tests/pair/collab_peer.mjs";

const { values: opts } = parseArgs({
  options: {
    typists: { type: "string", default: "20" },
    seconds: { type: "string", default: "10" },
    "interval-ms": { type: "string", default: "150" },
    db: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
const TYPISTS = Number(opts.typists);
const SECONDS = Number(opts.seconds);
const INTERVAL = Number(opts["interval-ms"]);
const BASE = 0x4e00;                    // CJK Unified Ideographs: 20,992 distinct characters
const PER_TYPIST = Math.floor(20992 / TYPISTS);

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (v) => Math.round(v * 100) / 100;
  return { count: s.length, p50: r(percentile(s, 50)), p90: r(percentile(s, 90)), p99: r(percentile(s, 99)), max: r(s[s.length - 1]) };
};

const pair = await startPair(opts.db ? { db: opts.db } : {});
try {
  const owner = await pair.signUp("Owner", uniqueEmail("owner"), "correct horse battery");
  const created = await pair.api("POST", "/api/challenges", { title: "Typing", prompt: "Type", response: "" }, owner.token);
  const id = created.body.challenge.id;

  const keyAt = new Map();    // char → keystroke time
  const sentAt = new Map();   // char → time of the first push that carried it
  const fromPush = [];
  const fromKey = [];
  const peers = [];
  const insertedChars = function* (changes) {
    for (const part of changes) if (Array.isArray(part)) for (const line of part.slice(1)) yield* line;
  };
  // Stamp each character when the first push carrying it leaves (a stale retry counts
  // against the latency, as the user waits for it too).
  const onPush = (updates) => {
    const now = performance.now();
    for (const u of updates) for (const ch of insertedChars(u.changes)) if (!sentAt.has(ch)) sentAt.set(ch, now);
  };
  const onUpdates = (from, updates, receiver) => {
    const now = performance.now();
    updates.forEach((u, i) => {
      if (from + i < receiver.version) return;  // a duplicate this receiver already has
      for (const ch of insertedChars(u.changes)) {
        const typist = Math.floor((ch.codePointAt(0) - BASE) / PER_TYPIST);
        if (typist === receiver.index) continue;  // the typist's own echo
        if (sentAt.has(ch)) fromPush.push(now - sentAt.get(ch));
        if (keyAt.has(ch)) fromKey.push(now - keyAt.get(ch));
      }
    });
  };
  for (let i = 0; i < TYPISTS; i += 1) {
    const user = await pair.signUp(`Typist${i}`, uniqueEmail(`typist${i}`), "correct horse battery");
    const socket = await pair.openSocket(user.token);
    const peer = new CollabPeer(socket, id, { onUpdates, onPush });
    peer.index = i;
    peers.push(await peer.join());
  }

  const next = rng(42);
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(peers.map(async (peer, i) => {
    await sleep(Math.floor(next() * INTERVAL));
    for (let k = 0; performance.now() < deadline && k < PER_TYPIST; k += 1) {
      const ch = String.fromCodePoint(BASE + i * PER_TYPIST + k);
      const cuts = boundaries(peer.doc);
      keyAt.set(ch, performance.now());
      peer.edit({ from: cuts[Math.floor(next() * cuts.length)], insert: ch });
      await sleep(INTERVAL * (0.5 + next()));
    }
  }));
  await converge(peers, async () => (await pair.api("GET", `/api/challenges/${id}`, null, owner.token)).body.challenge.version, 30000);
  const errors = peers.flatMap((p) => p.errors);
  // Every keystroke must reach every other typist through the stream (a gap would be
  // pulled instead and go untimed, which one node never causes).
  const expected = keyAt.size * (TYPISTS - 1);
  if (fromPush.length !== expected) errors.push(`timed ${fromPush.length} deliveries, expected ${expected}`);
  const docs = new Set(peers.map((p) => p.doc));
  if (docs.size !== 1) errors.push(`typists ended with ${docs.size} different documents`);
  const result = {
    scenario: "pair-typists", typists: TYPISTS, seconds: SECONDS, interval_ms: INTERVAL, db: opts.db ? "postgresql" : "sqlite",
    keystrokes: keyAt.size,
    push_to_receive_ms: summary(fromPush),
    keystroke_to_receive_ms: summary(fromKey),
    errors: errors.length,
  };
  if (opts.json) console.log(JSON.stringify(result));
  else {
    console.log(`${TYPISTS} typists, ${keyAt.size} keystrokes in ${SECONDS} s (${result.db}), deliveries to other clients:`);
    for (const [name, s] of [["collab:push sent → received", result.push_to_receive_ms], ["keystroke → received", result.keystroke_to_receive_ms]])
      console.log(`  ${name.padEnd(30)} n=${s.count} p50=${s.p50} ms p90=${s.p90} ms p99=${s.p99} ms max=${s.max} ms`);
    if (errors.length) console.log(`  errors: ${errors.slice(0, 5).join("; ")}`);
  }
  for (const p of peers) p.leave();
  if (errors.length || keyAt.size === 0) process.exitCode = 1;
} finally {
  await pair.close();
}
