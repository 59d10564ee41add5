// Cross-node broadcast latency: a phoenix client on node A shouts N messages at a steady
// rate, each carrying its send time; a client on node B (and, as the baseline, a second
// client on A) records when each arrives. Prints p50/p90/p99/max for both paths, so the
// cost of the Redis hop is the difference. Both clients share this process's clock.
//
//   ROOST_BIN=build/bin node tests/cluster/latency.mjs [count=2000] [rate_per_s=500]
import { performance } from "node:perf_hooks";
import { startRedis, startNode, stop, connectClient, join, waitFor, sleep } from "./cluster_harness.mjs";

const count = Number(process.argv[2] ?? 2000);
const rate = Number(process.argv[3] ?? 500);

function summary(samples) {
  const s = [...samples].sort((x, y) => x - y);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1] };
}

const fmt = (r) => `n=${r.n} p50=${r.p50.toFixed(2)} ms p90=${r.p90.toFixed(2)} ms p99=${r.p99.toFixed(2)} ms max=${r.max.toFixed(2)} ms`;

const redis = await startRedis();
const nodes = [];
const t = { cleanup: () => {} };
try {
  // One client sends every message: lift the fixture's per-socket rate limit.
  const args = ["--max-messages-per-second", "0"];
  nodes.push(await startNode("a", { redis, args }));
  nodes.push(await startNode("b", { redis, args }));
  const sender = await join(await connectClient(t, nodes[0]), "room:latency");
  const local = await join(await connectClient(t, nodes[0]), "room:latency");
  const remote = await join(await connectClient(t, nodes[1]), "room:latency");
  const localLat = [], remoteLat = [];
  local.on("shout", (p) => { if (p.i >= 0) localLat.push(performance.now() - p.t); });
  remote.on("shout", (p) => { if (p.i >= 0) remoteLat.push(performance.now() - p.t); });
  // Warm-up: connections, encoders and Redis buffers.
  for (let i = 0; i < 50; i++) sender.push("shout", { i: -1, t: performance.now() });
  await sleep(300);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    while (performance.now() < due) await sleep(Math.max(0, Math.min(2, due - performance.now())));
    sender.push("shout", { i, t: performance.now() });
  }
  await waitFor(() => remoteLat.length >= count && localLat.length >= count, 15000, "every message at both receivers");
  console.log(`${count} broadcasts at ${rate}/s, 2 nodes (default loops), Redis ${redis.url}`);
  console.log(`same node  (A → A): ${fmt(summary(localLat))}`);
  console.log(`cross node (A → B): ${fmt(summary(remoteLat))}`);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await Promise.all(nodes.map((n) => stop(n)));
  await redis.stop();
  process.exit();  // the clients' reconnect timers would keep the process alive
}
