// Cross-node broadcasts through Redis with the official phoenix client: conformance
// item 50, exactly-once delivery in every direction across three nodes, application
// broadcasts (POST /api/broadcast), broadcast_from, and strict decoding of what arrives
// from Redis.
import assert from "node:assert/strict";
import {
  useCluster, test, sleep, waitFor, connectClient, join, collect, pushResult, redisCommand,
} from "./cluster_harness.mjs";

const cluster = useCluster({ nodes: ["a", "b", "c"], args: ["--loops", "2"] });

// How long a test keeps listening after the last expected frame, to catch duplicates
// and strays: a cross-node hop on loopback takes about a millisecond.
const QUIET_MS = 300;

/** Clients per node, each joined to `topic`, with the payloads of `event` they receive. */
async function clientsOn(t, topic, event, perNode = 2) {
  const clients = [];
  for (const node of cluster.list) {
    for (let i = 0; i < perNode; i++) {
      const socket = await connectClient(t, node);
      const channel = await join(socket, topic);
      clients.push({ node: node.name, id: `${node.name}${i}`, channel, got: collect(channel, event) });
    }
  }
  return clients;
}

test("50 cross-node delivery: S2 on node B receives S1's broadcast from node A", async (t) => {
  const { a, b } = cluster.nodes;
  const s1 = await connectClient(t, a);
  const s2 = await connectClient(t, b);
  const c1 = await join(s1, "room:h");
  const c2 = await join(s2, "room:h");
  const got1 = collect(c1, "shout");
  const got2 = collect(c2, "shout");
  assert.deepEqual(await pushResult(c1, "shout", { m: "hi" }), { status: "ok", response: {} });
  await waitFor(() => got2.length === 1 && got1.length === 1, 3000, "the broadcast on both nodes");
  assert.deepEqual(got2, [{ m: "hi" }]);
  assert.deepEqual(got1, [{ m: "hi" }]);
  await sleep(QUIET_MS);
  assert.equal(got1.length, 1, "the origin node delivers its own broadcast once, not again from Redis");
  assert.equal(got2.length, 1);
});

test("broadcasts in every direction across three nodes arrive exactly once", async (t) => {
  const clients = await clientsOn(t, "room:mesh", "shout");
  for (const c of clients) {
    assert.deepEqual(await pushResult(c.channel, "shout", { from: c.id }), { status: "ok", response: {} });
  }
  const everyone = clients.map((c) => c.id).sort();
  await waitFor(() => clients.every((c) => c.got.length >= clients.length), 5000, "every shout at every client");
  await sleep(QUIET_MS);
  for (const c of clients) {
    assert.deepEqual(c.got.map((p) => p.from).sort(), everyone, `client ${c.id} got each shout exactly once`);
  }
  // Per publisher, order is kept across the hop.
  for (const c of clients) {
    const fromA0 = c.got.filter((p) => p.from.startsWith("a")).map((p) => p.from);
    assert.deepEqual(fromA0, ["a0", "a1"], `order of node a's shouts at ${c.id}`);
  }
});

test("broadcast_from excludes only the sender, on every node", async (t) => {
  const clients = await clientsOn(t, "room:from", "shout");
  const sender = clients.find((c) => c.id === "b1");
  assert.deepEqual(await pushResult(sender.channel, "shout_from", { m: "not me" }), { status: "ok", response: {} });
  const others = clients.filter((c) => c !== sender);
  await waitFor(() => others.every((c) => c.got.length === 1), 3000, "shout_from at every other client");
  await sleep(QUIET_MS);
  for (const c of others) assert.deepEqual(c.got, [{ m: "not me" }], `client ${c.id}`);
  assert.deepEqual(sender.got, [], "the sender receives nothing");
});

test("POST /api/broadcast on one node reaches the subscribers of every node", async (t) => {
  const clients = await clientsOn(t, "room:api", "notice", 1);
  for (const node of cluster.list) await node.broadcastOk("room:api", "notice", { by: node.name });
  await waitFor(() => clients.every((c) => c.got.length === 3), 3000, "each application broadcast everywhere");
  await sleep(QUIET_MS);
  for (const c of clients) {
    assert.deepEqual(c.got.map((p) => p.by).sort(), ["a", "b", "c"], `client on ${c.node}`);
  }
});

test("a binary broadcast crosses nodes byte for byte", async (t) => {
  const { a, c } = cluster.nodes;
  const socket = await connectClient(t, c);
  const channel = await join(socket, "room:bin");
  const got = collect(channel, "blob");
  const bytes = Buffer.from([0, 1, 2, 254, 255, 10, 13]);
  await a.broadcastOk("room:bin", "blob", { binary_base64: bytes.toString("base64") });
  await waitFor(() => got.length === 1, 3000, "the binary broadcast on node c");
  assert.ok(got[0] instanceof ArrayBuffer, `expected binary, got ${JSON.stringify(got[0])}`);
  assert.deepEqual(Buffer.from(got[0]), bytes);
});

test("malformed frames from Redis are counted and dropped; the nodes keep serving", async (t) => {
  const { a, b } = cluster.nodes;
  const before = (await b.metrics()).roost_cluster_malformed_frames_total;
  const incarnation = Buffer.alloc(8, 7);
  const frame = (flags, node, topic, event, payload) => {
    const u16 = (n) => Buffer.from([n >> 8, n & 0xff]);
    return Buffer.concat([Buffer.from("RB\x01"), Buffer.from([flags]), incarnation, Buffer.from([node.length]),
      Buffer.from(node), u16(topic.length), Buffer.from(topic), u16(event.length), Buffer.from(event), Buffer.from(payload)]);
  };
  const socket = await connectClient(t, b);
  const channel = await join(socket, "room:bad");
  const got = collect(channel, "x");
  const bad = [
    Buffer.from("garbage"),
    Buffer.from("RB\x02"),                                     // unknown version
    frame(0, "evil", "room:bad", "x", "{not json"),            // JSON payload that is not JSON
    frame(0, "evil", "room:bad", "x", "{}").subarray(0, 20),   // truncated
    frame(0x80, "evil", "room:bad", "x", "{}"),                // unknown flag
    frame(0, "evil", "room:bad", "x", '{"a":1} {"b":2}'),     // two JSON values
  ];
  for (const payload of bad) await redisCommand(cluster.redis, "PUBLISH", "roost:broadcast", payload);
  // A well-formed frame from a node that does not exist is delivered: the format, not the
  // sender, is what decoding checks.
  await redisCommand(cluster.redis, "PUBLISH", "roost:broadcast", frame(0, "other", "room:bad", "x", '{"ok":true}'));
  await waitFor(() => got.length === 1, 3000, "the well-formed frame");
  assert.deepEqual(got, [{ ok: true }]);
  const m = await b.metrics();
  assert.equal(m.roost_cluster_malformed_frames_total - before, bad.length, "each malformed frame counted once");
  // Both nodes still carry broadcasts across.
  const s2 = await connectClient(t, a);
  const c2 = await join(s2, "room:bad");
  const got2 = collect(c2, "x");
  await a.broadcastOk("room:bad", "x", { after: 1 });
  await waitFor(() => got.length === 2 && got2.length === 1, 3000, "a broadcast after the bad frames");
  assert.deepEqual(got[1], { after: 1 });
});

test("/cluster and /metrics describe the node and its link", async (t) => {
  const { a, b } = cluster.nodes;
  const status = await a.status();
  assert.equal(status.node, "a");
  assert.match(status.incarnation, /^[0-9a-f]{16}$/);
  assert.deepEqual(status.redis, { url: cluster.redis.url, connected: true, reconnects: 0 });
  assert.ok(Array.isArray(status.replicas));
  const incarnations = new Set(await Promise.all(cluster.list.map(async (n) => (await n.status()).incarnation)));
  assert.equal(incarnations.size, 3, "every node has its own incarnation");
  // One application broadcast from a, heard on b: a publishes it, b receives it, nothing
  // is dropped while the link is up.
  const socket = await connectClient(t, b);
  const got = collect(await join(socket, "room:metrics"), "m");
  const [a0, b0] = [await a.metrics(), await b.metrics()];
  await a.broadcastOk("room:metrics", "m", { n: 1 });
  await waitFor(() => got.length === 1, 3000, "the broadcast on b");
  const [a1, b1] = [await a.metrics(), await b.metrics()];
  assert.equal(a1.roost_cluster_link_up, 1);
  assert.ok(a1.roost_cluster_messages_published_total > a0.roost_cluster_messages_published_total, "published counted");
  assert.ok(a1.roost_cluster_bytes_published_total > a0.roost_cluster_bytes_published_total);
  assert.ok(b1.roost_cluster_messages_received_total > b0.roost_cluster_messages_received_total, "received counted");
  assert.ok(b1.roost_cluster_bytes_received_total > b0.roost_cluster_bytes_received_total);
  assert.equal(b1.roost_cluster_remote_broadcasts_total - b0.roost_cluster_remote_broadcasts_total, 1);
  assert.equal(a1.roost_cluster_messages_dropped_total, a0.roost_cluster_messages_dropped_total);
  assert.equal(a1.roost_cluster_link_losses_total, 0);
});
