// Section K: long-poll transport (items 94-115).
// The fixture's 10 s long-poll window is shortened to 2 s with --longpoll-window-ms;
// every duration derived from it scales with it (hold 10 s → 2 s, dispatch timeout
// 10 s → 2 s, inactivity 1.5 × window checked every 1.5 × window: 15 s → 3 s).
import assert from "node:assert/strict";
import {
  useServer, test, sleep, httpRequest,
  lpGet, lpPost, lpRequest, lpSession, lpCollect, assertLpAnswer,
} from "./harness.mjs";

const WINDOW_MS = 2000;
const server = useServer({ args: ["--longpoll-window-ms", String(WINDOW_MS)] });

const OK = (response = {}) => ({ response, status: "ok" });

/** POSTs a join and collects its reply. */
async function lpJoin(token, topic, joinRef = "1", payload = {}) {
  const res = await lpPost(server, token, [[joinRef, joinRef, topic, "phx_join", payload]]);
  assertLpAnswer(res, { status: 200 });
  const [reply] = await lpCollect(server, token, 1);
  assert.deepEqual(reply, [joinRef, joinRef, topic, "phx_reply", OK()]);
}

test("94 session creation", async () => {
  const res = await lpGet(server);
  assertLpAnswer(res);
  assert.deepEqual(Object.keys(res.body).sort(), ["messages", "status", "token"]);
  assert.equal(res.body.status, 410);
  assert.deepEqual(res.body.messages, []);
  assert.equal(typeof res.body.token, "string");
  assert.ok(res.body.token.length > 0);
});

test("95 idle poll held for the window, then 204", async () => {
  const token = await lpSession(server);
  const start = Date.now();
  const res = await lpGet(server, { token });
  const elapsed = Date.now() - start;
  assertLpAnswer(res, { messages: [], status: 204, token });
  assert.ok(elapsed >= WINDOW_MS - 300, `answered after ${elapsed} ms, window is ${WINDOW_MS} ms`);
  assert.ok(elapsed <= WINDOW_MS + 1500, `answered after ${elapsed} ms, window is ${WINDOW_MS} ms`);
});

test("96 POST of a join answers 200 once the join completed", async () => {
  const token = await lpSession(server);
  const start = Date.now();
  const res = await lpPost(server, token, [["1", "1", "room:a", "phx_join", { delay: 600 }]]);
  const elapsed = Date.now() - start;
  assertLpAnswer(res, { status: 200 });
  assert.ok(elapsed >= 580, `POST answered after ${elapsed} ms, the join takes 600 ms`);
});

test("97 GET returns the queued reply immediately, as encoded strings", async () => {
  const token = await lpSession(server);
  assertLpAnswer(await lpPost(server, token, [["1", "1", "room:a", "phx_join", {}]]), { status: 200 });
  const start = Date.now();
  const res = await lpGet(server, { token });
  assert.ok(Date.now() - start < 1000, "queued frames must be answered at once");
  assertLpAnswer(res);
  assert.equal(res.body.status, 200);
  assert.equal(res.body.token, token);
  assert.equal(res.body.messages.length, 1);
  assert.equal(typeof res.body.messages[0], "string");
  assert.deepEqual(JSON.parse(res.body.messages[0]), ["1", "1", "room:a", "phx_reply", OK()]);
});

test("98 ndjson batch processed in order", async () => {
  const token = await lpSession(server);
  await lpJoin(token, "room:a");
  const res = await lpPost(server, token, [
    ["1", "2", "room:a", "echo", { b: 1 }],
    ["1", "3", "room:a", "push_me", {}],
  ]);
  assertLpAnswer(res, { status: 200 });
  const got = await lpCollect(server, token, 2);
  assert.deepEqual(got, [
    ["1", "2", "room:a", "phx_reply", OK({ b: 1 })],
    ["1", null, "room:a", "pushed", { n: 1 }],
  ]);
});

test("99 legacy application/json body is one message", async () => {
  const token = await lpSession(server);
  const res = await lpPost(server, token, JSON.stringify(["1", "1", "room:a", "phx_join", {}]), { contentType: "application/json" });
  assertLpAnswer(res, { status: 200 });
  assert.deepEqual(await lpCollect(server, token, 1), [["1", "1", "room:a", "phx_reply", OK()]]);
});

test("100 base64 binary line delivered; following lines still processed", async () => {
  const token = await lpSession(server);
  await lpJoin(token, "room:a");
  const res = await lpPost(server, token, [
    "AAEBBgMxN3Jvb206YWJpbgEC",
    ["1", "8", "room:a", "echo", { after: "binary" }],
  ]);
  assertLpAnswer(res, { status: 200 });
  // The binary reply/push cannot be carried in a JSON answer: a server may drop
  // them or pass the raw frame bytes as a string (reference behaviour).
  const rawReply = Buffer.from("01010106023137726f6f6d3a616f6b01020304", "hex").toString("latin1");
  const rawPush = Buffer.from("0001060831726f6f6d3a6162696e5f707573680001", "hex").toString("latin1");
  const deadline = Date.now() + 5000;
  let echo = null;
  while (!echo) {
    assert.ok(Date.now() < deadline, "echo reply after the binary line never arrived");
    const poll = await lpGet(server, { token });
    assertLpAnswer(poll);
    assert.ok([200, 204].includes(poll.body.status), poll.text);
    for (const m of poll.body.messages) {
      let frame;
      try { frame = JSON.parse(m); } catch { frame = null; }
      if (Array.isArray(frame)) {
        assert.deepEqual(frame, ["1", "8", "room:a", "phx_reply", OK({ after: "binary" })]);
        echo = frame;
      } else {
        assert.ok([rawReply, rawPush].includes(m), `unexpected message ${JSON.stringify(m)}`);
      }
    }
  }
});

test("101 only the first 100 lines of a POST are processed", async () => {
  const token = await lpSession(server);
  await lpJoin(token, "room:a");
  const lines = [];
  for (let i = 1; i <= 150; i++) lines.push(["1", `e${i}`, "room:a", "echo", { i }]);
  assertLpAnswer(await lpPost(server, token, lines), { status: 200 });
  const got = await lpCollect(server, token, 100, 8000);
  assert.deepEqual(got.map((f) => f[1]), Array.from({ length: 100 }, (_, i) => `e${i + 1}`));
  const more = await lpGet(server, { token });
  assertLpAnswer(more, { messages: [], status: 204, token });
});

test("102 held GET wakes up as soon as a frame is produced", async () => {
  const token = await lpSession(server);
  await lpJoin(token, "room:w102");
  const start = Date.now();
  const pending = lpGet(server, { token });
  await sleep(300);
  await server.broadcastOk("room:w102", "wake", { up: true });
  const res = await pending;
  const elapsed = Date.now() - start;
  assertLpAnswer(res);
  assert.equal(res.body.status, 200);
  assert.deepEqual(res.body.messages.map((m) => JSON.parse(m)), [[null, null, "room:w102", "wake", { up: true }]]);
  assert.ok(elapsed < WINDOW_MS - 500, `answered after ${elapsed} ms, not at the broadcast`);
});

test("103 POST without a valid session answers 410", async () => {
  const frame = [["1", "1", "room:a", "phx_join", {}]];
  assertLpAnswer(await lpPost(server, undefined, frame), { status: 410 });
  assertLpAnswer(await lpPost(server, "bogus", frame), { status: 410 });
});

test("104 POST not acknowledged within the window answers 408", async () => {
  const token = await lpSession(server);
  const start = Date.now();
  const res = await lpPost(server, token, [["1", "1", "room:a", "phx_join", { delay: WINDOW_MS + 1000 }]]);
  const elapsed = Date.now() - start;
  assertLpAnswer(res, { status: 408 });
  assert.ok(elapsed >= WINDOW_MS - 300 && elapsed <= WINDOW_MS + 900, `408 after ${elapsed} ms, window ${WINDOW_MS} ms`);
});

test("105 refused connect answers 403 without token", async () => {
  const res = await lpGet(server, { query: "vsn=2.0.0&reject=true" });
  assertLpAnswer(res, { status: 403 });
});

test("106 rejected origin answers HTTP 200 with status 403", async () => {
  const res = await lpGet(server, { headers: { origin: "http://evil.test" } });
  assertLpAnswer(res, { status: 403 });
  const ok = await lpGet(server, { headers: { origin: "https://example.com" } });
  assertLpAnswer(ok);
  assert.equal(ok.body.status, 410);
});

test("107 CORS pre-flight", async () => {
  const res = await lpRequest(server, "OPTIONS", {
    headers: {
      origin: "https://example.com",
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type,x-phoenix-authtoken",
    },
  });
  assert.equal(res.httpStatus, 200);
  assert.equal(res.text, "");
  assert.equal(res.headers["access-control-allow-origin"], "*");
  assert.equal(res.headers["access-control-allow-headers"], "content-type,x-phoenix-authtoken");
  assert.equal(res.headers["access-control-allow-methods"], "get, post, options");
  assert.equal(res.headers["access-control-max-age"], "3600");
});

test("108 other methods answer 400", async () => {
  const res = await lpRequest(server, "PUT", { body: "x", headers: { "content-type": "text/plain" } });
  assert.equal(res.httpStatus, 400);
});

test("109 session ends after inactivity", { timeout: 40000 }, async () => {
  const token = await lpSession(server);
  // 1.5 × window without a GET, checked every 1.5 × window: gone after at most 3 × window
  await sleep(3 * WINDOW_MS + 500);
  assertLpAnswer(await lpPost(server, token, [["1", "1", "room:a", "phx_join", {}]]), { status: 410 });
  const res = await lpGet(server, { token });
  assertLpAnswer(res);
  assert.equal(res.body.status, 410);
  assert.deepEqual(res.body.messages, []);
  assert.equal(typeof res.body.token, "string");
  assert.notEqual(res.body.token, token);
});

test("110 session token in the X-Phoenix-Longpoll-Token header", async () => {
  const token = await lpSession(server);
  assertLpAnswer(await lpPost(server, token, [["1", "1", "room:a", "phx_join", {}]]), { status: 200 });
  const res = await lpGet(server, { headers: { "x-phoenix-longpoll-token": token } });
  assertLpAnswer(res);
  assert.equal(res.body.status, 200);
  assert.equal(res.body.token, token);
  assert.deepEqual(res.body.messages.map((m) => JSON.parse(m)), [["1", "1", "room:a", "phx_reply", OK()]]);
});

test("111 token header wins over the query parameter", async () => {
  const token = await lpSession(server);
  assertLpAnswer(await lpPost(server, token, [["1", "1", "room:a", "phx_join", {}]]), { status: 200 });
  const res = await lpGet(server, { token: "bogus", headers: { "x-phoenix-longpoll-token": token } });
  assertLpAnswer(res);
  assert.equal(res.body.status, 200);
  assert.equal(res.body.token, token);
  assert.deepEqual(res.body.messages.map((m) => JSON.parse(m)), [["1", "1", "room:a", "phx_reply", OK()]]);
});

test("112 auth token from the X-Phoenix-AuthToken header", async () => {
  for (const [headers, expected] of [[{ "x-phoenix-authtoken": "secret" }, "secret"], [{}, null]]) {
    const token = await lpSession(server, { headers });
    await lpJoin(token, "room:i112");
    assertLpAnswer(await lpPost(server, token, [["1", "2", "room:i112", "inspect", {}]]), { status: 200 });
    const [reply] = await lpCollect(server, token, 1);
    assert.deepEqual(reply.slice(0, 4), ["1", "2", "room:i112", "phx_reply"]);
    assert.equal(reply[4].status, "ok");
    assert.equal(reply[4].response.auth_token, expected);
  }
});

test("113 continuous GETs keep a session alive without heartbeats", { timeout: 40000 }, async () => {
  const token = await lpSession(server);
  await lpJoin(token, "room:a");
  const start = Date.now();
  // well beyond the inactivity limit (1.5 × window, checked every 1.5 × window)
  while (Date.now() - start < 3 * WINDOW_MS + 1000) {
    const res = await lpGet(server, { token });
    assertLpAnswer(res, { messages: [], status: 204, token });
  }
  assertLpAnswer(await lpPost(server, token, [["1", "2", "room:a", "echo", { alive: true }]]), { status: 200 });
  assert.deepEqual(await lpCollect(server, token, 1), [["1", "2", "room:a", "phx_reply", OK({ alive: true })]]);
});

test("114 forced disconnect ends the long-poll session", async () => {
  const token = await lpSession(server, { query: "user_id=114&vsn=2.0.0" });
  await lpJoin(token, "room:a114");
  await server.broadcastOk("user_socket:114", "disconnect", {});
  let res = await lpGet(server, { token, query: "user_id=114&vsn=2.0.0" });
  if (res.body?.status === 204) {
    // the GET reached the session before it ended and ran out its window
    res = await lpGet(server, { token, query: "user_id=114&vsn=2.0.0" });
  }
  assertLpAnswer(res);
  assert.equal(res.body.status, 410, res.text);
  assert.deepEqual(res.body.messages, []);
  assert.notEqual(res.body.token, token);
  assertLpAnswer(await lpPost(server, token, [["1", "2", "room:a114", "echo", {}]]), { status: 410 });
});

test("115 cache-control: no-store on every GET/POST answer", async () => {
  const check = (res, what) => assert.equal(res.headers["cache-control"], "no-store", what);
  const created = await lpGet(server);
  check(created, "GET creating a session (410)");
  const token = created.body.token;
  check(await lpPost(server, token, [["1", "1", "room:a", "phx_join", {}]]), "POST 200");
  check(await lpGet(server, { token }), "GET 200");
  check(await lpGet(server, { token }), "GET 204");
  check(await lpPost(server, "bogus", [["1", "1", "room:a", "phx_join", {}]]), "POST 410");
  check(await lpGet(server, { query: "vsn=2.0.0&reject=true" }), "GET 403");
});
