// Section H: binary frames over WebSocket (items 61-67).
import assert from "node:assert/strict";
import { useServer, test, openRaw, hex, binaryPush } from "./harness.mjs";

const server = useServer();

const OK = (response = {}) => ({ response, status: "ok" });
const asHex = (f) => (Buffer.isBuffer(f) ? f.toString("hex") : JSON.stringify(f));

const BIN_REQUEST = hex("00 01 02 06 03 31 36 33 72 6f 6f 6d 3a 61 62 69 6e 01 02");
const BIN_REPLY = hex("01 01 02 06 02 31 36 33 72 6f 6f 6d 3a 61 6f 6b 01 02 03 04");
const BIN_PUSH = hex("00 01 06 08 31 72 6f 6f 6d 3a 61 62 69 6e 5f 70 75 73 68 00 01");

async function joinedA(t) {
  const raw = await openRaw(t, server);
  await raw.join("room:a", {}, "1");
  return raw;
}

test("61 binary push answered with a binary reply and a binary push", async (t) => {
  assert.deepEqual(binaryPush("1", "63", "room:a", "bin", [1, 2]), BIN_REQUEST);
  const raw = await joinedA(t);
  raw.send(BIN_REQUEST);
  const got = [await raw.next(), await raw.next()];
  assert.ok(got.every(Buffer.isBuffer), `expected two binary frames, got ${got.map(asHex)}`);
  assert.deepEqual(got.map(asHex).sort(), [BIN_REPLY, BIN_PUSH].map(asHex).sort());
  await raw.expectNothing(200);
});

test("62 binary application broadcast", async (t) => {
  const raw = await joinedA(t);
  await server.broadcastOk("room:a", "img", { binary_base64: Buffer.from([0xff]).toString("base64") });
  await raw.expect(hex("02 06 03 72 6f 6f 6d 3a 61 69 6d 67 ff"));
});

test("63 binary push to an unjoined topic gets a text error reply", async (t) => {
  const raw = await openRaw(t, server);
  raw.send(binaryPush("1", "64", "room:none", "bin", [9]));
  await raw.expect([null, "64", "room:none", "phx_reply", { response: { reason: "unmatched topic" }, status: "error" }]);
});

test("64 oversized binary field is never emitted", async (t) => {
  const raw = await joinedA(t);
  const res = await server.broadcast("room:a", "e".repeat(300), { binary_base64: "AQI=" });
  assert.equal(res.status, 500, `POST /api/broadcast answered ${res.status}: ${res.text}`);
  await raw.expectNothing(300, "a frame with a 300-byte event reached the socket");
  assert.ok(raw.isOpen);
  raw.send(["1", "2", "room:a", "echo", {}]);
  await raw.expect(["1", "2", "room:a", "phx_reply", OK()]);
});

test("65 text and binary frames interleave in both directions", async (t) => {
  const raw = await joinedA(t);
  raw.send(["1", "e1", "room:a", "echo", { a: 1 }]);
  raw.send(BIN_REQUEST);
  raw.send(["1", "e2", "room:a", "echo", { b: 2 }]);
  raw.send(binaryPush("1", "64", "room:a", "bin", [7]));
  const got = [];
  for (let i = 0; i < 6; i++) got.push(await raw.next());
  const text = got.filter((f) => !Buffer.isBuffer(f));
  const bin = got.filter(Buffer.isBuffer).map(asHex).sort();
  assert.deepEqual(text, [
    ["1", "e1", "room:a", "phx_reply", OK({ a: 1 })],
    ["1", "e2", "room:a", "phx_reply", OK({ b: 2 })],
  ]);
  assert.deepEqual(bin, [
    BIN_REPLY,
    BIN_PUSH,
    BIN_PUSH,
    hex("01 01 02 06 02 31 36 34 72 6f 6f 6d 3a 61 6f 6b 07 03 04"),
  ].map(asHex).sort());
});

test("66 binary frame of kind 1 or 2 from the client closes the connection", async (t) => {
  for (const frame of [
    hex("01 01 02 06 02 31 36 33 72 6f 6f 6d 3a 61 6f 6b 01 02"),
    hex("02 06 03 72 6f 6f 6d 3a 61 69 6d 67 ff"),
  ]) {
    const raw = await joinedA(t);
    raw.send(frame);
    const info = await raw.closed(3000);
    assert.equal(info.code, 1011, `kind ${frame[0]}`);
  }
});

test("67 truncated binary frame closes the connection", async (t) => {
  const raw = await joinedA(t);
  raw.send(hex("00 05 01 01 01 31"));
  const info = await raw.closed(3000);
  assert.equal(info.code, 1011);
});
