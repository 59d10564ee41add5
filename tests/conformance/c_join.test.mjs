// Section C: joining (items 20-30).
import assert from "node:assert/strict";
import { useServer, test, openRaw } from "./harness.mjs";

const server = useServer();

const OK = (response = {}) => ({ response, status: "ok" });
const ERR = (reason) => ({ response: { reason }, status: "error" });

test("20 join accepted", async (t) => {
  const raw = await openRaw(t, server);
  raw.send(["1", "1", "room:a", "phx_join", {}]);
  await raw.expect(["1", "1", "room:a", "phx_reply", OK()]);
  await raw.expectNothing(300);
});

test("21 join reply payload", async (t) => {
  const raw = await openRaw(t, server);
  raw.send(["2", "2", "room:b", "phx_join", { reply: true }]);
  await raw.expect(["2", "2", "room:b", "phx_reply", OK({ hello: "world" })]);
});

test("22 join refused, then the topic is unjoined", async (t) => {
  const raw = await openRaw(t, server);
  raw.send(["3", "3", "room:c", "phx_join", { deny: true }]);
  await raw.expect(["3", "3", "room:c", "phx_reply", ERR("unauthorized")]);
  raw.send(["3", "4", "room:c", "echo", {}]);
  await raw.expect([null, "4", "room:c", "phx_reply", ERR("unmatched topic")]);
});

test("23 join crash answered with join crashed; socket stays open", async (t) => {
  const raw = await openRaw(t, server);
  raw.send(["4", "4", "room:d", "phx_join", { crash: true }]);
  await raw.expect(["4", "4", "room:d", "phx_reply", ERR("join crashed")]);
  await raw.heartbeat();
  raw.send(["5", "5", "room:d", "phx_join", {}]);
  await raw.expect(["5", "5", "room:d", "phx_reply", OK()]);
});

test("24 unmatched topic: reply with null join_ref", async (t) => {
  const raw = await openRaw(t, server);
  raw.send(["5", "5", "nope:1", "phx_join", {}]);
  await raw.expect([null, "5", "nope:1", "phx_reply", ERR("unmatched topic")]);
});

test("25 channel limit of 100 per socket", async (t) => {
  const raw = await openRaw(t, server);
  for (let i = 1; i <= 100; i++) raw.send([`j${i}`, `j${i}`, `room:${i}`, "phx_join", {}]);
  for (let i = 1; i <= 100; i++) {
    await raw.expect([`j${i}`, `j${i}`, `room:${i}`, "phx_reply", OK()], 5000, `join ${i}`);
  }
  raw.send(["x", "r", "room:101", "phx_join", {}]);
  await raw.expect(["x", "r", "room:101", "phx_reply", ERR("too many channels joined")]);
  // the refused join registered nothing
  raw.send(["x", "r2", "room:101", "echo", {}]);
  await raw.expect([null, "r2", "room:101", "phx_reply", ERR("unmatched topic")]);
  // leaving one makes room for exactly one more
  raw.send(["j7", "l7", "room:7", "phx_leave", {}]);
  await raw.expect(["j7", "l7", "room:7", "phx_reply", OK()]);
  await raw.expect(["j7", "j7", "room:7", "phx_close", {}]);
  raw.send(["y", "y", "room:101", "phx_join", {}]);
  await raw.expect(["y", "y", "room:101", "phx_reply", OK()]);
  raw.send(["z", "z", "room:102", "phx_join", {}]);
  await raw.expect(["z", "z", "room:102", "phx_reply", ERR("too many channels joined")]);
});

test("26 duplicate join: new reply, then phx_close of the old join", async (t) => {
  const raw = await openRaw(t, server);
  await raw.join("room:e", {}, "6");
  raw.send(["9", "9", "room:e", "phx_join", {}]);
  await raw.expect(["9", "9", "room:e", "phx_reply", OK()]);
  await raw.expect(["6", "6", "room:e", "phx_close", {}]);
  await raw.expectNothing(300);
  raw.send(["9", "10", "room:e", "push_me", {}]);
  await raw.expect(["9", null, "room:e", "pushed", { n: 1 }]);
  // the old join is gone: its join_ref is stale now
  raw.send(["6", "11", "room:e", "echo", {}]);
  await raw.expectNothing(300, "message with the replaced join_ref must be dropped");
  raw.send(["9", "12", "room:e", "echo", {}]);
  await raw.expect(["9", "12", "room:e", "phx_reply", OK()]);
});

test("27 join reply precedes channel output", async (t) => {
  const raw = await openRaw(t, server);
  // the join and a push request leave in the same write; the channel's push
  // must still come after the join reply
  raw.send(["1", "1", "room:p27", "phx_join", { delay: 100 }]);
  raw.send(["1", "2", "room:p27", "push_me", {}]);
  await raw.expect(["1", "1", "room:p27", "phx_reply", OK()]);
  await raw.expect(["1", null, "room:p27", "pushed", { n: 1 }]);
});

test("28 null join_ref on join: the channel adopts the join's ref", async (t) => {
  const raw = await openRaw(t, server);
  raw.send([null, "11", "room:f", "phx_join", {}]);
  await raw.expect([null, "11", "room:f", "phx_reply", OK()]);
  raw.send([null, "12", "room:f", "push_me", {}]);
  await raw.expect(["11", null, "room:f", "pushed", { n: 1 }]);
});

test("29 join payload passed through unchanged", async (t) => {
  const raw = await openRaw(t, server);
  const payload = {
    nested: { list: [1, 2.5, { deep: null }], flag: false },
    unicode: "héllo ✓ 😀 日本",
    empty: {},
    n: -7,
  };
  raw.send(["1", "1", "room:p29", "phx_join", payload]);
  await raw.expect(["1", "1", "room:p29", "phx_reply", OK()]);
  raw.send(["1", "2", "room:p29", "inspect", {}]);
  const reply = await raw.next();
  assert.deepEqual(reply.slice(0, 4), ["1", "2", "room:p29", "phx_reply"]);
  assert.equal(reply[4].status, "ok");
  assert.deepEqual(reply[4].response.join_payload, payload);
});

test("30 rejoin after refusal is evaluated afresh", async (t) => {
  const raw = await openRaw(t, server);
  raw.send(["1", "1", "room:c30", "phx_join", { deny: true }]);
  await raw.expect(["1", "1", "room:c30", "phx_reply", ERR("unauthorized")]);
  raw.send(["2", "2", "room:c30", "phx_join", {}]);
  await raw.expect(["2", "2", "room:c30", "phx_reply", OK()]);
  raw.send(["2", "3", "room:c30", "phx_leave", {}]);
  await raw.expect(["2", "3", "room:c30", "phx_reply", OK()]);
  await raw.expect(["2", "2", "room:c30", "phx_close", {}]);
  raw.send(["4", "4", "room:c30", "phx_join", { deny: true }]);
  await raw.expect(["4", "4", "room:c30", "phx_reply", ERR("unauthorized")]);
});
