// Presence across nodes with the official phoenix client and its Presence object: three
// room nodes and a real redis-server. Conformance items 91 (cross-node join), 92 (node
// failure) and 93 (restart under the same name); identical lists on every node after a
// burst of joins, updates and leaves spread over the nodes; a Redis restart after which
// the nodes exchange state and lose nothing; garbage on the replication channels.
//
// Short periods (--presence-broadcast-ms 200 --presence-down-ms 1500) keep the file fast;
// item 91 runs with the default 1.5 s period, since its bound is about that period.
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import {
  test, sleep, waitFor, joinOk, pushResult, startRedis, stopRedis, startNode, kill, restart, stop, connectClient,
  collect, redisCommand, Presence,
} from "./cluster_harness.mjs";

const FAST = ["--loops", "2", "--presence-broadcast-ms", "200", "--presence-down-ms", "1500"];
const SHARDS = 8;

async function redisFor(t) {
  const redis = await startRedis();
  t.cleanup(() => stopRedis(redis));
  return redis;
}

async function nodesFor(t, redis, names, args) {
  const nodes = [];
  for (const name of names) {
    const node = await startNode(name, { redis, args });
    t.cleanup(() => stop(node));
    nodes.push(node);
  }
  return nodes;
}

/** Resolves once every node's /cluster lists every other node up on all shards. */
async function allReplicasUp(nodes, ms = 8000) {
  await waitForAsync(async () => {
    for (const node of nodes) {
      const { replicas } = await node.status();
      for (const other of nodes) {
        if (other === node) continue;
        const r = replicas.find((x) => x.node === other.name);
        if (!r || r.status !== "up" || r.shards_up !== SHARDS) return false;
      }
    }
    return true;
  }, ms, "every node to list every other as an up replica");
}

async function waitForAsync(pred, ms, what) {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await pred()) return;
    if (performance.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** A topic's presence list as the JS client holds it: keys sorted, metas sorted by ref. */
function normalized(presence) {
  const out = [];
  presence.list((key, { metas }) => {
    out.push([key, [...metas].sort((x, y) => (x.phx_ref < y.phx_ref ? -1 : x.phx_ref > y.phx_ref ? 1 : 0))]);
  });
  out.sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return out;
}

/**
 * A client joined to `topic` on `node` with the given join payload (a `name` makes the
 * fixture track it under that key), its Presence object synced, and every
 * presence_diff it receives.
 */
async function client(t, node, topic, payload = {}, socketOpts = {}) {
  const socket = await connectClient(t, node, socketOpts);
  const channel = socket.channel(topic, payload);
  const presence = new Presence(channel);
  let syncs = 0;
  presence.onSync(() => { syncs += 1; });
  const diffs = collect(channel, "presence_diff");
  await joinOk(channel, 5000);
  await waitFor(() => syncs > 0, 5000, `presence_state on node ${node.name}`);
  return {
    node, socket, channel, presence, diffs,
    list: () => normalized(presence),
    keys: () => normalized(presence).map(([k]) => k),
    refs: (key) => normalized(presence).filter(([k]) => k === key).flatMap(([, metas]) => metas.map((m) => m.phx_ref)),
  };
}

/** Waits until every client shows the same list, whose keys are `keys`; returns it. */
async function sameEverywhere(clients, keys, ms, what) {
  const want = JSON.stringify([...keys].sort());
  await waitFor(() => {
    const lists = clients.map((c) => JSON.stringify(c.list()));
    return lists.every((l) => l === lists[0]) && JSON.stringify(clients[0].keys()) === want;
  }, ms, what);
  return clients[0].list();
}

const leftKeys = (diffs) => diffs.flatMap((d) => Object.keys(d.leaves));
const leftRefs = (diffs, key) => diffs.flatMap((d) => (d.leaves[key]?.metas ?? []).map((m) => m.phx_ref));

test("91 cross-node join: a socket on node B receives the diff for a join on node A within ~2 s", { timeout: 60000 }, async (t) => {
  const redis = await redisFor(t);
  const [a, b] = await nodesFor(t, redis, ["a", "b"], ["--loops", "2"]);  // default 1.5 s period
  await allReplicasUp([a, b]);
  const watcher = await client(t, b, "presence:lobby");
  const started = performance.now();
  const ann = await client(t, a, "presence:lobby", { name: "ann" });
  const [ref] = ann.refs("ann");
  assert.ok(ref, "node A's own snapshot lists ann");
  await waitFor(() => watcher.diffs.some((d) => d.joins.ann), 5000, "ann's join on node B");
  const elapsed = performance.now() - started;
  t.diagnostic(`cross-node presence join seen after ${elapsed.toFixed(0)} ms`);
  assert.ok(elapsed < 2500, `the join reached node B after ${elapsed.toFixed(0)} ms (one 1.5 s period plus transit expected)`);
  const diff = watcher.diffs.find((d) => d.joins.ann);
  assert.deepEqual(diff, { joins: { ann: { metas: [{ name: "ann", phx_ref: ref }] } }, leaves: {} });
  assert.deepEqual(watcher.list(), [["ann", [{ name: "ann", phx_ref: ref }]]]);
  const m = await b.metrics();
  assert.ok(m.roost_presence_deltas_received_total >= 1);
  assert.ok(m.roost_presence_heartbeats_received_total >= 1);
  assert.equal(m.roost_presence_replicas_up, SHARDS);
});

test("92 node failure: after kill -9 of node A, sockets on B and C receive leaves for all of A's presences after the down period", { timeout: 60000 }, async (t) => {
  const redis = await redisFor(t);
  const [a, b, c] = await nodesFor(t, redis, ["a", "b", "c"], FAST);
  await allReplicasUp([a, b, c]);
  const watchB = await client(t, b, "presence:lobby");
  const watchC = await client(t, c, "presence:lobby");
  await client(t, a, "presence:lobby", { name: "ann" });
  await client(t, a, "presence:lobby", { name: "sam" });
  await client(t, c, "presence:lobby", { name: "sam" });
  await client(t, b, "presence:lobby", { name: "bob" });
  await sameEverywhere([watchB, watchC], ["ann", "bob", "sam"], 5000, "the lobby on B and C");
  const annRef = watchB.refs("ann")[0];
  const samRefs = watchB.refs("sam");
  assert.equal(samRefs.length, 2);

  const killed = performance.now();
  await kill(a);
  const seen = {};
  for (const w of [watchB, watchC]) {
    (async () => {
      await waitFor(() => !w.keys().includes("ann"), 10000, `ann's leave on node ${w.node.name}`).catch(() => {});
      seen[w.node.name] = performance.now() - killed;
    })();
  }
  // Not at once: a silent node may only be slow, until the down period says otherwise.
  await sleep(600);
  assert.ok(watchB.keys().includes("ann") && watchC.keys().includes("ann"), "ann still shown 600 ms after the kill");
  await waitFor(() => seen.b !== undefined && seen.c !== undefined, 10000, "the leaves on B and C");
  t.diagnostic(`kill -9 -> leaves seen on b after ${seen.b.toFixed(0)} ms, on c after ${seen.c.toFixed(0)} ms`);
  for (const w of [watchB, watchC]) {
    assert.ok(seen[w.node.name] < 3500, `node ${w.node.name} saw the leaves ${seen[w.node.name].toFixed(0)} ms after the kill`);
    assert.deepEqual(leftRefs(w.diffs, "ann"), [annRef]);
    // sam keeps the meta tracked on node C; only node A's left.
    assert.equal(w.refs("sam").length, 1);
    assert.deepEqual(w.keys(), ["bob", "sam"]);
  }
  // A fresh snapshot on B no longer lists them.
  const fresh = await client(t, b, "presence:lobby");
  assert.deepEqual(fresh.keys(), ["bob", "sam"]);
  assert.equal(fresh.refs("sam").length, 1);
  const m = await b.metrics();
  assert.equal(m.roost_presence_replicas_down, SHARDS);
  assert.ok(m.roost_presence_replica_down_total >= SHARDS);
  const { replicas } = await b.status();
  assert.equal(replicas.find((r) => r.node === "a")?.status, "down");
});

test("93 node restart same name: the old incarnation's presences leave at its first heartbeat; re-tracked ones join with new refs", { timeout: 60000 }, async (t) => {
  const redis = await redisFor(t);
  // A long down period, so a leave seen within it can only come from the new incarnation.
  const args = ["--loops", "2", "--presence-broadcast-ms", "200", "--presence-down-ms", "20000"];
  const [a, b] = await nodesFor(t, redis, ["a", "b"], args);
  await allReplicasUp([a, b]);
  const watcher = await client(t, b, "presence:lobby");
  // The phoenix client reconnects and rejoins by itself, which tracks it again.
  const ann = await client(t, a, "presence:lobby", { name: "ann" }, { reconnectAfterMs: () => 100, rejoinAfterMs: () => 100 });
  await waitFor(() => watcher.keys().includes("ann"), 5000, "ann on node B");
  const oldRef = watcher.refs("ann")[0];
  const before = await b.status();
  const oldIncarnation = before.replicas.find((r) => r.node === "a").incarnation;

  const killed = performance.now();
  await restart(a);  // kill -9, then the same name and port
  await waitFor(() => leftRefs(watcher.diffs, "ann").includes(oldRef), 10000, "the old incarnation's leave on node B");
  const leftAfter = performance.now() - killed;
  t.diagnostic(`restart -> old presences left on b after ${leftAfter.toFixed(0)} ms`);
  assert.ok(leftAfter < 10000, "well before the 20 s down period");
  await waitFor(() => watcher.refs("ann").length === 1 && watcher.refs("ann")[0] !== oldRef, 10000, "ann's new join on node B");
  const newRef = watcher.refs("ann")[0];
  assert.notEqual(newRef, oldRef);
  assert.ok(watcher.diffs.some((d) => d.joins.ann?.metas.some((m) => m.phx_ref === newRef)), "the re-track arrives as a join");
  await waitFor(() => ann.refs("ann").includes(newRef), 5000, "the rejoined client's own snapshot");
  // Each shard retires the old incarnation at the new one's first heartbeat on that shard.
  await waitForAsync(async () => {
    const row = (await b.status()).replicas.find((r) => r.node === "a");
    return row.incarnation !== oldIncarnation && row.status === "up" && row.shards_up === SHARDS;
  }, 3000, "node B to list node A's new incarnation up on every shard");
  const m = await b.metrics();
  assert.equal(m.roost_presence_replica_permdown_total, SHARDS, "every shard retired the old incarnation");
  assert.equal(m.roost_presence_replica_down_total, 0, "nothing waited for the down period");
});

test("a burst of joins, updates and leaves spread over three nodes ends with the same list on every node", { timeout: 60000 }, async (t) => {
  const redis = await redisFor(t);
  const nodes = await nodesFor(t, redis, ["a", "b", "c"], FAST);
  await allReplicasUp(nodes);
  const topic = "presence:burst";
  const watchers = await Promise.all(nodes.map((n) => client(t, n, topic)));
  // Six members per node; keys repeat across nodes, so one key gathers metas of all three.
  const members = await Promise.all(nodes.flatMap((n, i) =>
    [0, 1, 2, 3, 4, 5].map(async (j) => ({ node: n, j, c: await client(t, n, topic, { name: `u${(i + j) % 4}` }) }))));
  // Everything at once: updates (away), channel leaves and dropped connections.
  await Promise.all(members.map(async ({ j, c }) => {
    if (j < 2) assert.deepEqual(await pushResult(c.channel, "away", {}), { status: "ok", response: {} });
    else if (j < 4) await new Promise((resolve) => c.channel.leave().receive("ok", resolve));
    else if (j === 4) c.socket.disconnect();
  }));
  const stays = members.filter(({ j }) => j !== 2 && j !== 3 && j !== 4);
  const keys = [...new Set(stays.map(({ node, j }) => `u${(nodes.indexOf(node) + j) % 4}`))];
  const list = await sameEverywhere(watchers, keys, 8000, "the same burst list on a, b and c");
  const metas = list.flatMap(([, ms]) => ms);
  assert.equal(metas.length, stays.length, "one meta per remaining member");
  assert.equal(metas.filter((m) => m.away === true).length, 2 * nodes.length, "every update replaced its meta");
  assert.ok(metas.filter((m) => m.away).every((m) => m.phx_ref_prev), "updated metas name the ref they replaced");
  // A fresh snapshot on each node agrees with what the diffs built.
  for (const n of nodes) {
    const fresh = await client(t, n, topic);
    assert.deepEqual(fresh.list(), list, `a fresh snapshot on node ${n.name}`);
  }
});

test("Redis restart: nodes reconnect, exchange state and converge with nothing lost", { timeout: 90000 }, async (t) => {
  const redis = await redisFor(t);
  // A down period longer than the outage: no node is declared down meanwhile.
  const args = ["--loops", "2", "--presence-broadcast-ms", "200", "--presence-down-ms", "8000"];
  const [a, b, c] = await nodesFor(t, redis, ["a", "b", "c"], args);
  await allReplicasUp([a, b, c]);
  const topic = "presence:outage";
  const watchers = await Promise.all([a, b, c].map((n) => client(t, n, topic)));
  const ann = await client(t, a, topic, { name: "ann" });
  await client(t, b, topic, { name: "bob" });
  const cat = await client(t, c, topic, { name: "cat" });
  await sameEverywhere(watchers, ["ann", "bob", "cat"], 5000, "the list before the outage");
  const transfersBefore = (await a.metrics()).roost_presence_transfers_received_total;

  await stopRedis(redis);
  await Promise.all([a, b, c].map((n) => n.waitLink(false)));
  // Changes on every node while the nodes cannot hear each other.
  await new Promise((resolve) => ann.channel.leave().receive("ok", resolve));
  await client(t, a, topic, { name: "amy" });
  await client(t, b, topic, { name: "bea" });
  assert.deepEqual(await pushResult(cat.channel, "away", {}), { status: "ok", response: {} });
  await waitFor(() => watchers[0].keys().includes("amy") && !watchers[0].keys().includes("ann"), 3000, "node a's own view");
  await sleep(500);
  assert.ok(!watchers[1].keys().includes("amy"), "node b cannot hear node a without Redis");

  await startRedis(redis);
  await Promise.all([a, b, c].map((n) => n.waitLink(true, 15000)));
  const list = await sameEverywhere(watchers, ["amy", "bea", "bob", "cat"], 8000, "the same list after the outage");
  assert.equal(list.find(([k]) => k === "cat")[1][0].away, true, "cat's update made during the outage");
  const m = await a.metrics();
  assert.ok(m.roost_presence_transfers_received_total > transfersBefore, "the nodes exchanged state on reconnect");
  assert.equal(m.roost_presence_replica_down_total, 0);
  // Nothing lost: presences that stayed never left anyone's view.
  for (const w of watchers) assert.ok(!leftKeys(w.diffs).includes("bob"), `bob never left node ${w.node.name}'s view`);
});

test("garbage on the replication channels is counted and dropped; presence keeps working", { timeout: 60000 }, async (t) => {
  const redis = await redisFor(t);
  const [a, b] = await nodesFor(t, redis, ["a", "b"], FAST);
  await allReplicasUp([a, b]);
  // Empty, not the format, truncated, and a well-formed transfer request with a byte too many.
  const bad = ["", "garbage", "\u0001\u0001", "\u0001\u0002\u0001\u0001x\u0001\u0000\u0005\u0000\u0000"];
  for (let shard = 0; shard < SHARDS; shard++) {
    for (const payload of bad) await redisCommand(redis, "PUBLISH", `phx_presence:roost_shard${shard}`, payload);
  }
  await redisCommand(redis, "PUBLISH", "phx_presence:roost_shard0:b", "not a transfer");
  const want = { a: SHARDS * bad.length, b: SHARDS * bad.length + 1 };
  for (const node of [a, b]) {
    await waitForAsync(async () => (await node.metrics()).roost_presence_bad_messages_total === want[node.name], 3000,
      `node ${node.name} to count every bad message`);
  }
  const watcher = await client(t, b, "presence:lobby");
  await client(t, a, "presence:lobby", { name: "ann" });
  await waitFor(() => watcher.keys().includes("ann"), 3000, "a cross-node join after the garbage");
  assert.equal((await b.metrics()).roost_presence_replicas_down, 0);
});
