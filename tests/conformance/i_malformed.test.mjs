// Section I: malformed input (items 68-75).
import assert from "node:assert/strict";
import { useServer, test, openRaw } from "./harness.mjs";

const server = useServer();

const OK = (response = {}) => ({ response, status: "ok" });

async function joinedA(t, opts) {
  const raw = await openRaw(t, server, opts);
  await raw.join("room:a", {}, "1");
  return raw;
}

async function assertClosedWith(raw, code) {
  const info = await raw.closed(3000);
  assert.equal(info.code, code);
}

test("68 invalid JSON closes the connection", async (t) => {
  const raw = await joinedA(t);
  raw.send("not json");
  await assertClosedWith(raw, 1011);
  // the server keeps serving others
  const other = await joinedA(t);
  other.send(["1", "2", "room:a", "echo", {}]);
  await other.expect(["1", "2", "room:a", "phx_reply", OK()]);
});

test("69 short array closes the connection", async (t) => {
  const raw = await joinedA(t);
  raw.send(["1", "2", "room:a"]);
  await assertClosedWith(raw, 1011);
});

test("70 extra array elements are ignored", async (t) => {
  const raw = await joinedA(t);
  raw.send(["1", "70", "room:a", "echo", {}, "extra"]);
  await raw.expect(["1", "70", "room:a", "phx_reply", OK()]);
});

test("71 non-array top level under V2 closes the connection", async (t) => {
  const raw = await joinedA(t);
  raw.send({ topic: "room:a" });
  await assertClosedWith(raw, 1011);
});

test("72 V1 frame without ref closes the connection", async (t) => {
  const raw = await openRaw(t, server, { query: null });
  // a well-formed V1 frame works first
  raw.send({ topic: "phoenix", event: "heartbeat", payload: {}, ref: "1" });
  await raw.expect({ event: "phx_reply", payload: OK(), ref: "1", topic: "phoenix" });
  raw.send({ topic: "phoenix", event: "heartbeat", payload: {} });
  await assertClosedWith(raw, 1011);
});

test("73 invalid UTF-8 in a text frame closes with 1007", async (t) => {
  const raw = await joinedA(t);
  raw.sendTextBytes(Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]));
  await assertClosedWith(raw, 1007);
});

test("74 frame size limit: ~1 MB processed, 2 MiB closes with 1009", async (t) => {
  const raw = await joinedA(t);
  const head = JSON.stringify(["1", "big", "room:a", "echo", { s: "" }]);
  const filler = "x".repeat(1000000 - head.length);
  const frame = JSON.stringify(["1", "big", "room:a", "echo", { s: filler }]);
  assert.equal(Buffer.byteLength(frame), 1000000);
  raw.send(frame);
  const reply = await raw.next(10000);
  assert.deepEqual(reply.slice(0, 4), ["1", "big", "room:a", "phx_reply"]);
  assert.equal(reply[4].status, "ok");
  assert.equal(reply[4].response.s, filler);

  const huge = JSON.stringify(["1", "huge", "room:a", "echo", { s: "y".repeat(2 * 1024 * 1024) }]);
  raw.send(huge);
  await assertClosedWith(raw, 1009);
});

test("75 non-object payload delivered to the handler as is", async (t) => {
  const raw = await joinedA(t);
  raw.send(["1", "71", "room:a", "echo", "text"]);
  await raw.expect(["1", "71", "room:a", "phx_reply", { response: "text", status: "ok" }]);
});
