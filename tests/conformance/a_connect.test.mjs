// Section A: connection establishment (conformance.md items 1-13).
import assert from "node:assert/strict";
import { useServer, test, openRaw, tryUpgrade, httpRequest } from "./harness.mjs";

const server = useServer();

const HB_REPLY = (ref) => [null, ref, "phoenix", "phx_reply", { response: {}, status: "ok" }];

/** Joins `room:inspect` and returns the fixture's `inspect` reply. */
async function inspect(raw) {
  await raw.join("room:inspect", {}, "i1");
  raw.send(["i1", "i2", "room:inspect", "inspect", {}]);
  const reply = await raw.next();
  assert.equal(reply[0], "i1");
  assert.equal(reply[1], "i2");
  assert.equal(reply[3], "phx_reply");
  assert.equal(reply[4].status, "ok");
  return reply[4].response;
}

test("1 upgrade accepted; server silent until the client speaks", async (t) => {
  const res = await tryUpgrade(t, server, { query: "vsn=2.0.0" });
  assert.equal(res.status, 101);
  await res.raw.expectNothing(300, "server sent a frame before the client");
  res.raw.send([null, "1", "phoenix", "heartbeat", {}]);
  await res.raw.expect(HB_REPLY("1"));
});

test("2 default serializer is V1 when vsn is absent", async (t) => {
  const raw = await openRaw(t, server, { query: null });
  raw.send({ topic: "phoenix", event: "heartbeat", payload: {}, ref: "1" });
  await raw.expect({ event: "phx_reply", payload: { response: {}, status: "ok" }, ref: "1", topic: "phoenix" });
});

test("3 unsupported vsn refused with 403", async (t) => {
  for (const vsn of ["2.1.0", "3.0.0", "abc"]) {
    const res = await tryUpgrade(t, server, { query: `vsn=${vsn}` });
    assert.equal(res.status, 403, `vsn=${vsn}`);
  }
});

test("4 refused connect answers 403 with an empty body", async (t) => {
  const res = await tryUpgrade(t, server, { query: "vsn=2.0.0&reject=true" });
  assert.equal(res.status, 403);
  assert.equal(res.body, "");
});

test("5 allowed origin accepted", async (t) => {
  const res = await tryUpgrade(t, server, { headers: { Origin: "https://example.com" } });
  assert.equal(res.status, 101);
  res.raw.send([null, "5", "phoenix", "heartbeat", {}]);
  await res.raw.expect(HB_REPLY("5"));
});

test("6 rejected origin answers 403 with an empty body", async (t) => {
  const res = await tryUpgrade(t, server, { headers: { Origin: "http://evil.test" } });
  assert.equal(res.status, 403);
  assert.equal(res.body, "");
});

test("7 no Origin header is accepted", async (t) => {
  // `ws` sends no Origin header unless one is given.
  const res = await tryUpgrade(t, server, { headers: {} });
  assert.equal(res.status, 101);
  res.raw.send([null, "7", "phoenix", "heartbeat", {}]);
  await res.raw.expect(HB_REPLY("7"));
});

test("8 POST to the websocket path answers 400", async () => {
  const res = await httpRequest(server, "POST", "/socket/websocket?vsn=2.0.0", {
    headers: {
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "content-length": "0",
    },
  });
  assert.equal(res.status, 400);
});

test("9 auth token subprotocol: answered with phoenix, token visible to connect", async (t) => {
  const res = await tryUpgrade(t, server, { protocols: ["phoenix", "base64url.bearer.phx.c2VjcmV0"] });
  assert.equal(res.status, 101);
  assert.equal(res.headers["sec-websocket-protocol"], "phoenix");
  const info = await inspect(res.raw);
  assert.equal(info.auth_token, "secret");
});

test("10 plain phoenix subprotocol echoed, no auth token", async (t) => {
  const res = await tryUpgrade(t, server, { protocols: ["phoenix"] });
  assert.equal(res.status, 101);
  assert.equal(res.headers["sec-websocket-protocol"], "phoenix");
  const info = await inspect(res.raw);
  assert.equal(info.auth_token, null);
});

test("11 nested query params decoded (raw and percent-encoded brackets)", async (t) => {
  for (const query of [
    "user[id]=5&ids[0]=a&ids[1]=b&vsn=2.0.0",
    // the form phoenix.js produces (encodeURIComponent on keys)
    "user%5Bid%5D=5&ids%5B0%5D=a&ids%5B1%5D=b&vsn=2.0.0",
  ]) {
    const raw = await openRaw(t, server, { query });
    const info = await inspect(raw);
    assert.deepEqual(info.params.user, { id: "5" }, query);
    assert.deepEqual(info.params.ids, { 0: "a", 1: "b" }, query);
    assert.equal(info.socket_id, null);
    raw.close();
  }
});

test("12 dangling ampersand accepted", async (t) => {
  const res = await tryUpgrade(t, server, { query: "vsn=2.0.0&" });
  assert.equal(res.status, 101);
  res.raw.send([null, "12", "phoenix", "heartbeat", {}]);
  await res.raw.expect(HB_REPLY("12"));
});

test("13 duplicate query keys: last occurrence wins", async (t) => {
  const raw = await openRaw(t, server, { query: "token=a&vsn=2.0.0&token=b" });
  const info = await inspect(raw);
  assert.equal(info.params.token, "b");
});
