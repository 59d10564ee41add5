// Failures around the cluster link: Redis going away and coming back, a node killed and
// restarted, and nodes that cannot reach Redis at start.
import assert from "node:assert/strict";
import {
  test, sleep, waitFor, startRedis, stopRedis, startNode, kill, restart, stop, connectClient, join, collect,
  pushResult, runRoom, freePort,
} from "./cluster_harness.mjs";

const QUIET_MS = 300;

async function nodes(t, redis, names) {
  const list = [];
  for (const name of names) {
    const node = await startNode(name, { redis, args: ["--loops", "2"] });
    t.cleanup(() => stop(node));
    list.push(node);
  }
  return list;
}

async function redisFor(t) {
  const redis = await startRedis();
  t.cleanup(() => stopRedis(redis));
  return redis;
}

test("Redis stopped: each node keeps serving its own clients; restarted: the nodes reconnect by themselves", { timeout: 60000 }, async (t) => {
  const redis = await redisFor(t);
  const [a, b] = await nodes(t, redis, ["a", "b"]);
  const a1 = await join(await connectClient(t, a), "room:outage");
  const a2 = await join(await connectClient(t, a), "room:outage");
  const b1 = await join(await connectClient(t, b), "room:outage");
  const [gotA1, gotA2, gotB1] = [a1, a2, b1].map((c) => collect(c, "shout"));

  await stopRedis(redis);  // SIGKILL: the sockets close under the nodes
  await Promise.all([a.waitLink(false), b.waitLink(false)]);

  // Local delivery never waits for Redis.
  assert.deepEqual(await pushResult(a1, "shout", { n: 1 }), { status: "ok", response: {} });
  await waitFor(() => gotA1.length === 1 && gotA2.length === 1, 2000, "the local broadcast on node a");
  await sleep(QUIET_MS);
  assert.deepEqual(gotB1, [], "node b cannot hear node a without Redis");
  const m = await a.metrics();
  assert.ok(m.roost_cluster_messages_dropped_total >= 1, "the cross-node copy is dropped and counted");
  assert.equal(m.roost_cluster_link_up, 0);
  assert.equal(m.roost_cluster_link_losses_total, 1);

  // Redis back on the same port: no operator action, the nodes resubscribe.
  await stopRedis(redis).then(() => startRedis(redis));
  const [sa, sb] = await Promise.all([a.waitLink(true, 15000), b.waitLink(true, 15000)]);
  assert.equal(sa.redis.reconnects, 1);
  assert.equal(sb.redis.reconnects, 1);
  assert.deepEqual(await pushResult(b1, "shout", { n: 2 }), { status: "ok", response: {} });
  await waitFor(() => gotA1.length === 2 && gotA2.length === 2 && gotB1.length === 1, 3000, "a cross-node broadcast after the outage");
  assert.deepEqual(gotA1[1], { n: 2 });
  assert.deepEqual(gotB1, [{ n: 2 }]);
  const after = await b.metrics();
  assert.equal(after.roost_cluster_reconnects_total, 1);
  assert.equal(after.roost_cluster_link_up, 1);
});

test("a node killed with SIGKILL and restarted on its port rejoins; the others never stop", { timeout: 60000 }, async (t) => {
  const redis = await redisFor(t);
  const [a, b, c] = await nodes(t, redis, ["a", "b", "c"]);
  const ca = await join(await connectClient(t, a), "room:k");
  const cc = await join(await connectClient(t, c), "room:k");
  // The phoenix client on node b reconnects and rejoins by itself after the restart.
  const sb = await connectClient(t, b);
  const cb = await join(sb, "room:k");
  const [gotA, gotB, gotC] = [ca, cb, cc].map((ch) => collect(ch, "shout"));
  const statusBefore = await b.status();

  await kill(b);
  assert.deepEqual(await pushResult(ca, "shout", { n: 1 }), { status: "ok", response: {} });
  await waitFor(() => gotA.length === 1 && gotC.length === 1, 3000, "a to c while b is down");

  await restart(b);
  const statusAfter = await b.status();
  assert.equal(statusAfter.node, "b");
  assert.notEqual(statusAfter.incarnation, statusBefore.incarnation, "a restart is a new incarnation");
  await waitFor(() => cb.state === "joined" && sb.isConnected(), 15000, "the client on b rejoined");
  assert.deepEqual(await pushResult(cc, "shout", { n: 2 }), { status: "ok", response: {} });
  await waitFor(() => gotB.length === 1 && gotA.length === 2 && gotC.length === 2, 3000, "c's broadcast everywhere");
  assert.deepEqual(await pushResult(cb, "shout", { n: 3 }), { status: "ok", response: {} });
  await waitFor(() => gotA.length === 3 && gotC.length === 3 && gotB.length === 2, 3000, "the restarted b's broadcast everywhere");
  await sleep(QUIET_MS);
  assert.deepEqual(gotA.map((p) => p.n), [1, 2, 3]);
  assert.deepEqual(gotB.map((p) => p.n), [2, 3]);
  assert.deepEqual(gotC.map((p) => p.n), [1, 2, 3]);
});

test("start with a bad Redis URL: exit status 2 and a one-line error", async () => {
  for (const url of ["http://127.0.0.1:6379", "redis://", "redis://h:99999", "redis://:secret@h:1", "redis://h:1/x"]) {
    const res = await runRoom(["--port", "0", "--node", "n", "--redis", url]);
    assert.equal(res.code, 2, `${url}: exit status (output: ${res.output})`);
    const lines = res.output.trim().split("\n");
    assert.equal(lines.length, 1, `${url}: one line, got ${JSON.stringify(res.output)}`);
    assert.match(lines[0], /bad --redis URL/);
    assert.ok(lines[0].includes(url), `${url}: the message names the URL`);
  }
});

test("start with an unreachable Redis fails at once with a clear message", async () => {
  const port = await freePort();  // nothing listens there
  const refused = await runRoom(["--port", "0", "--node", "n", "--redis", `redis://127.0.0.1:${port}`]);
  assert.notEqual(refused.code, 0, refused.output);
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}: .*[Cc]onnection refused`));
  assert.doesNotMatch(refused.output, /room listening/, "it never serves alone");

  const unknown = await runRoom(["--port", "0", "--node", "n", "--redis", "redis://bad"]);
  assert.equal(unknown.code, 1, unknown.output);
  assert.match(unknown.output, /cannot reach Redis at redis:\/\/bad: /);
  assert.doesNotMatch(unknown.output, /room listening/);
});

test("ROOST_REDIS_URL is used when --redis is not given", async () => {
  const port = await freePort();
  const res = await runRoom(["--port", "0", "--node", "n"], { env: { ROOST_REDIS_URL: `redis://127.0.0.1:${port}` } });
  assert.equal(res.code, 1, res.output);
  assert.match(res.output, new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}`));
});
