// Presence convergence after a node kill: three room nodes and a real redis-server; node
// A tracks `members` presences on one topic, watchers on B and C (official phoenix
// client + Presence) see them; then A is killed with SIGKILL and the time until each
// watcher's list has lost all of A's presences is recorded. A is restarted (a new
// incarnation) and re-populated between trials. Prints every trial and min/median/max.
//
//   ROOST_BIN=build/bin node tests/cluster/presence_convergence.mjs \
//       [trials=5] [broadcast_ms=200] [down_ms=1500] [members=50]
import { performance } from "node:perf_hooks";
import {
  startRedis, startNode, kill, restart, stop, connectClient, joinOk, waitFor, sleep, Presence,
} from "./cluster_harness.mjs";

const trials = Number(process.argv[2] ?? 5);
const broadcastMs = Number(process.argv[3] ?? 200);
const downMs = Number(process.argv[4] ?? 1500);
const members = Number(process.argv[5] ?? 50);
const topic = "presence:measure";

const args = ["--loops", "2", "--presence-broadcast-ms", String(broadcastMs), "--presence-down-ms", String(downMs),
  "--presence-permdown-ms", String(Math.max(downMs * 4, 60000)), "--max-joins-per-second", "0"];
const t = { cleanup: () => {} };

async function watcher(node) {
  const socket = await connectClient(t, node);
  const channel = socket.channel(topic, {});
  const presence = new Presence(channel);
  let synced = false;
  presence.onSync(() => { synced = true; });
  await joinOk(channel, 5000);
  await waitFor(() => synced, 5000, "presence_state");
  const count = () => { let n = 0; presence.list((_, { metas }) => { n += metas.length; }); return n; };
  return { socket, count };
}

async function populate(node) {
  // One socket per presence, as browser tabs would be; each tracks a distinct key.
  const sockets = [];
  for (let i = 0; i < members; i++) {
    const socket = await connectClient(t, node, { reconnectAfterMs: () => 60000 });
    await joinOk(socket.channel(topic, { name: `m${i}` }), 5000);
    sockets.push(socket);
  }
  return sockets;
}

const stats = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return `min=${s[0].toFixed(0)} ms median=${s[Math.floor(s.length / 2)].toFixed(0)} ms max=${s[s.length - 1].toFixed(0)} ms`;
};

const redis = await startRedis();
const nodes = [];
try {
  for (const name of ["a", "b", "c"]) nodes.push(await startNode(name, { redis, args }));
  const [a, b, c] = nodes;
  const watchers = [await watcher(b), await watcher(c)];
  const samples = [];
  for (let trial = 1; trial <= trials; trial++) {
    const sockets = await populate(a);
    await waitFor(() => watchers.every((w) => w.count() === members), 30000, "A's presences on B and C");
    await sleep(Math.random() * broadcastMs * 3);  // a random phase against the heartbeats
    const killed = performance.now();
    await kill(a);
    const seen = await Promise.all(watchers.map(async (w) => {
      await waitFor(() => w.count() === 0, downMs * 3 + 10000, "the leaves");
      return performance.now() - killed;
    }));
    const all = Math.max(...seen);
    samples.push(all);
    console.log(`trial ${trial}: leaves on b after ${seen[0].toFixed(0)} ms, on c after ${seen[1].toFixed(0)} ms (all: ${all.toFixed(0)} ms)`);
    for (const s of sockets) s.disconnect();
    if (trial < trials) await restart(a);
  }
  console.log(`presence convergence after kill -9 (broadcast ${broadcastMs} ms, down ${downMs} ms, ${members} presences, ${trials} trials): ${stats(samples)}`);
} finally {
  await Promise.all(nodes.map((n) => stop(n).catch(() => {})));
  await redis.stop();
}
process.exit(0);
