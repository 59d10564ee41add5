// Section D: messages inside a channel (items 31-40).
import assert from "node:assert/strict";
import { useServer, test, openRaw } from "./harness.mjs";

const server = useServer();

const OK = (response = {}) => ({ response, status: "ok" });

/** A socket joined to room:a with J="1". */
async function joined(t) {
  const raw = await openRaw(t, server);
  await raw.join("room:a", {}, "1");
  return raw;
}

test("31 reply to a channel event", async (t) => {
  const raw = await joined(t);
  raw.send(["1", "12", "room:a", "echo", { x: 1 }]);
  await raw.expect(["1", "12", "room:a", "phx_reply", OK({ x: 1 })]);
});

test("32 null join_ref accepted on channel events", async (t) => {
  const raw = await joined(t);
  raw.send([null, "13", "room:a", "echo", {}]);
  await raw.expect(["1", "13", "room:a", "phx_reply", OK()]);
});

test("33 stale join_ref dropped without a frame", async (t) => {
  const raw = await joined(t);
  raw.send(["0", "14", "room:a", "echo", {}]);
  raw.send(["0", "14b", "room:a", "push_me", {}]);
  await raw.expectNothing(300, "stale join_ref must be dropped");
  raw.send(["1", "14c", "room:a", "echo", {}]);
  await raw.expect(["1", "14c", "room:a", "phx_reply", OK()]);
});

test("34 noreply event produces no frame", async (t) => {
  const raw = await joined(t);
  raw.send(["1", "15", "room:a", "noreply", {}]);
  await raw.expectNothing(300);
  raw.send(["1", "15b", "room:a", "echo", {}]);
  await raw.expect(["1", "15b", "room:a", "phx_reply", OK()]);
});

test("35 custom reply status", async (t) => {
  const raw = await joined(t);
  raw.send(["1", "16", "room:a", "custom", {}]);
  await raw.expect(["1", "16", "room:a", "phx_reply", { response: {}, status: "custom" }]);
});

test("36 asynchronous reply arrives after a later synchronous one", async (t) => {
  const raw = await joined(t);
  const sent = Date.now();
  raw.send(["1", "17", "room:a", "later", {}]);
  raw.send(["1", "18", "room:a", "echo", {}]);
  await raw.expect(["1", "18", "room:a", "phx_reply", OK()]);
  await raw.expect(["1", "17", "room:a", "phx_reply", OK({ late: true })], 2000);
  const elapsed = Date.now() - sent;
  assert.ok(elapsed >= 80, `late reply after ${elapsed} ms, expected about 100 ms`);
  assert.ok(elapsed < 1000, `late reply after ${elapsed} ms, expected about 100 ms`);
});

test("37 server push carries the join_ref", async (t) => {
  const raw = await joined(t);
  raw.send(["1", "19", "room:a", "push_me", {}]);
  await raw.expect(["1", null, "room:a", "pushed", { n: 1 }]);
  await raw.expectNothing(300, "push_me must not be replied to");
});

test("38 event for an unjoined topic", async (t) => {
  const raw = await joined(t);
  raw.send([null, "20", "room:zzz", "echo", {}]);
  await raw.expect([null, "20", "room:zzz", "phx_reply", { response: { reason: "unmatched topic" }, status: "error" }]);
});

test("39 replies keep the order of the messages", async (t) => {
  const raw = await joined(t);
  for (let i = 0; i < 10; i++) raw.send(["1", `o${i}`, "room:a", "echo", { i }]);
  for (let i = 0; i < 10; i++) await raw.expect(["1", `o${i}`, "room:a", "phx_reply", OK({ i })]);
});

test("40 numeric ref echoed verbatim", async (t) => {
  const raw = await joined(t);
  raw.send(["1", 42, "room:a", "echo", {}]);
  const reply = await raw.expect(["1", 42, "room:a", "phx_reply", OK()]);
  assert.equal(typeof reply[1], "number");
});
