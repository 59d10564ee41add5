// Per-socket limits of the fixture (SocketLimits, set low by flags so they trip quickly):
// a message or join flood gets an error reply, then the socket is closed with 1008; a
// broadcast payload over the limit is refused with an error reply and reaches nobody.
// Each time a second, well-behaved client keeps working.
import assert from "node:assert/strict";
import { useServer, test, openRaw, httpRequest, sleep } from "./harness.mjs";

const server = useServer({
  args: [
    "--max-messages-per-second", "20", "--message-burst", "40",
    "--max-joins-per-second", "5", "--join-burst", "10",
    "--max-broadcast-bytes", "1024",
  ],
});

const OK = (response = {}) => ({ response, status: "ok" });
const RATE_LIMITED = { response: { reason: "rate limit exceeded" }, status: "error" };

async function joined(t, topic = "room:limits") {
  const raw = await openRaw(t, server);
  const joinRef = await raw.join(topic);
  return { raw, joinRef, topic };
}

async function stillWorks(c, tag) {
  assert.ok(c.raw.isOpen, "the well-behaved client was closed");
  c.raw.send([c.joinRef, tag, c.topic, "echo", { tag }]);
  await c.raw.expect([c.joinRef, tag, c.topic, "phx_reply", OK({ tag })], 3000, `echo ${tag}`);
}

/** Collects replies until the socket closes; returns them with the close info. */
async function repliesUntilClosed(raw, ms = 5000) {
  const replies = [];
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      replies.push(await raw.next(Math.max(1, deadline - Date.now())));
    } catch {
      return { replies, close: await raw.closed(1000) };
    }
  }
}

test("a message flood is answered with an error reply, then closed with 1008", async (t) => {
  const witness = await joined(t);
  const flooder = await joined(t);
  for (let i = 0; i < 100; i++) flooder.raw.send([flooder.joinRef, `f${i}`, flooder.topic, "echo", { i }]);
  const { replies, close } = await repliesUntilClosed(flooder.raw);
  assert.equal(close.code, 1008);
  const ok = replies.filter((r) => r[4]?.status === "ok");
  const limited = replies.filter((r) => r[3] === "phx_reply" && r[4]?.status === "error");
  // The burst (40, one token already spent on the join) passes; the next message is refused.
  assert.ok(ok.length >= 35 && ok.length <= 45, `${ok.length} messages passed before the limit`);
  assert.equal(limited.length, 1, "exactly one rate-limit reply");
  assert.deepEqual(limited[0], [flooder.joinRef, `f${ok.length}`, flooder.topic, "phx_reply", RATE_LIMITED]);
  await stillWorks(witness, "after-flood");
});

test("a client within its rate is never limited", async (t) => {
  const steady = await joined(t);
  // 15 per second for 3 s: under the 20/s rate, well past the 40 burst in total.
  for (let i = 0; i < 45; i++) {
    await stillWorks(steady, `s${i}`);
    await sleep(66);
  }
});

test("a join flood is answered with an error reply, then closed with 1008", async (t) => {
  const witness = await joined(t);
  const raw = await openRaw(t, server);
  for (let i = 0; i < 30; i++) raw.send([`j${i}`, `j${i}`, `room:flood${i}`, "phx_join", {}]);
  const { replies, close } = await repliesUntilClosed(raw);
  assert.equal(close.code, 1008);
  const joinedOk = replies.filter((r) => r[3] === "phx_reply" && r[4]?.status === "ok");
  const limited = replies.filter((r) => r[3] === "phx_reply" && r[4]?.status === "error");
  assert.ok(joinedOk.length >= 10 && joinedOk.length <= 12, `${joinedOk.length} joins passed before the limit`);
  assert.deepEqual(limited.map((r) => r[4]), [RATE_LIMITED]);
  await stillWorks(witness, "after-join-flood");
});

test("a broadcast payload over the limit is refused and reaches nobody", async (t) => {
  const sender = await joined(t, "room:big");
  const listener = await joined(t, "room:big");
  sender.raw.send([sender.joinRef, "big", "room:big", "shout", { m: "x".repeat(2000) }]);
  await sender.raw.expect(
    [sender.joinRef, "big", "room:big", "phx_reply", { response: { reason: "broadcast payload too large" }, status: "error" }],
    3000);
  await listener.raw.expectNothing(300, "an oversized broadcast was delivered");
  // A payload within the limit still goes to everyone; the sender's socket stays open.
  sender.raw.send([sender.joinRef, "small", "room:big", "shout", { m: "hi" }]);
  await listener.raw.expect([null, null, "room:big", "shout", { m: "hi" }], 3000);
  await sender.raw.expect([sender.joinRef, "small", "room:big", "phx_reply", OK()], 3000);
  await sender.raw.expect([null, null, "room:big", "shout", { m: "hi" }], 3000);
  await stillWorks(sender, "after-big");
});

test("the limits are counted in /metrics", async () => {
  const res = await httpRequest(server, "GET", "/metrics");
  const value = (name) => Number((res.text.match(new RegExp(`^${name} (\\d+)$`, "m")) ?? [])[1]);
  assert.ok(value("roost_rate_limited_total") >= 2, "rate-limited sockets are counted");
  assert.ok(value("roost_oversized_broadcasts_total") >= 1, "oversized broadcasts are counted");
});
