// Section F: broadcasts and interception (items 47, 48, 49, 51, 52).
// Item 50 (cross-node delivery) needs a cluster and is not covered here.
import assert from "node:assert/strict";
import { useServer, test, openRaw } from "./harness.mjs";

const server = useServer();

const OK = (response = {}) => ({ response, status: "ok" });
const key = (f) => JSON.stringify(f);

/** Reads `n` frames and compares them with `expected` regardless of order. */
async function expectSet(raw, expected, ms = 2000) {
  const got = [];
  for (let i = 0; i < expected.length; i++) got.push(await raw.next(ms));
  assert.deepEqual(got.map(key).sort(), expected.map(key).sort());
}

async function twoJoined(t, topic) {
  const s1 = await openRaw(t, server);
  const s2 = await openRaw(t, server);
  await s1.join(topic, {}, "1");
  await s2.join(topic, {}, "2");
  return [s1, s2];
}

test("47 broadcast reaches every joined socket, sender included", async (t) => {
  const [s1, s2] = await twoJoined(t, "room:h47");
  s1.send(["1", "3", "room:h47", "shout", { m: "hi" }]);
  await expectSet(s1, [
    ["1", "3", "room:h47", "phx_reply", OK()],
    [null, null, "room:h47", "shout", { m: "hi" }],
  ]);
  await s2.expect([null, null, "room:h47", "shout", { m: "hi" }]);
  await s1.expectNothing(200);
  await s2.expectNothing(200);
});

test("48 broadcast_from excludes the sender", async (t) => {
  const [s1, s2] = await twoJoined(t, "room:h48");
  s1.send(["1", "3", "room:h48", "shout_from", { m: "hi" }]);
  await s1.expect(["1", "3", "room:h48", "phx_reply", OK()]);
  await s2.expect([null, null, "room:h48", "shout", { m: "hi" }]);
  await s1.expectNothing(300, "the sender must not receive its broadcast_from");
});

test("49 sockets not joined to the topic receive nothing", async (t) => {
  const [s1, s2] = await twoJoined(t, "room:h49");
  const s3 = await openRaw(t, server);
  await s3.join("room:other49", {}, "9");
  s1.send(["1", "3", "room:h49", "shout", { m: "hi" }]);
  await s2.expect([null, null, "room:h49", "shout", { m: "hi" }]);
  await s3.expectNothing(300, "a socket not joined to room:h49 got a frame");
});

test("51 intercepted broadcast is pushed with the join_ref", async (t) => {
  const a = await openRaw(t, server);
  const b = await openRaw(t, server);
  await a.join("icpt:1", {}, "50");
  await b.join("icpt:1", {}, "50");
  await server.broadcastOk("icpt:1", "secret", { v: 1 });
  const expected = ["50", null, "icpt:1", "secret", { seen_by: "channel", v: 1 }];
  await a.expect(expected);
  await b.expect(expected);
  await a.expectNothing(200);
  // other events on the topic are not intercepted: plain broadcast form
  await server.broadcastOk("icpt:1", "plain", { v: 2 });
  await a.expect([null, null, "icpt:1", "plain", { v: 2 }]);
  await b.expect([null, null, "icpt:1", "plain", { v: 2 }]);
});

test("52 V1 recipient gets the broadcast as a V1 object", async (t) => {
  const v1 = await openRaw(t, server, { query: null });
  v1.send({ topic: "room:h52", event: "phx_join", payload: {}, ref: "1" });
  await v1.expect({ event: "phx_reply", payload: OK(), ref: "1", topic: "room:h52" });
  const s1 = await openRaw(t, server);
  await s1.join("room:h52", {}, "1");
  s1.send(["1", "2", "room:h52", "shout", { m: "hi" }]);
  await v1.expect({ event: "shout", payload: { m: "hi" }, ref: null, topic: "room:h52" });
});
