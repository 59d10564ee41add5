// Bad input of every kind gets the answer the spec gives, and a second, already-connected
// client keeps working throughout (join + echo before, echo + heartbeat after).
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import net from "node:net";
import {
  useServer, test, openRaw, tryUpgrade, httpRequest, withTimeout,
  lpGet, lpPost, lpSession, lpCollect, assertLpAnswer, HOST,
} from "./harness.mjs";

// A short long-poll window keeps the "nothing more arrives" checks quick.
const WINDOW_MS = 1500;
const server = useServer({ args: ["--longpoll-window-ms", String(WINDOW_MS)] });

const OK = (response = {}) => ({ response, status: "ok" });
let seq = 0;

/** A client joined to room:witness that has echoed once already. */
async function witness(t) {
  const raw = await openRaw(t, server);
  const joinRef = await raw.join("room:witness");
  const w = { raw, joinRef };
  await witnessEcho(w, "before");
  return w;
}

async function witnessEcho(w, tag) {
  const ref = `w${++seq}`;
  w.raw.send([w.joinRef, ref, "room:witness", "echo", { tag }]);
  await w.raw.expect([w.joinRef, ref, "room:witness", "phx_reply", OK({ tag })], 3000, `witness echo ${tag}`);
}

/** The witness still works: it is open, echoes and gets its heartbeat answered. */
async function witnessStillWorks(w) {
  assert.ok(w.raw.isOpen, "the witness connection was closed");
  await witnessEcho(w, "after");
  await w.raw.heartbeat();
}

/** A fresh client joined to room:a, about to misbehave. */
async function culprit(t) {
  const raw = await openRaw(t, server);
  await raw.join("room:a", {}, "1");
  return raw;
}

async function closesWith(raw, code) {
  const info = await raw.closed(5000);
  assert.equal(info.code, code, `close code (reason "${info.reason}")`);
}

test("malformed JSON closes with 1011", async (t) => {
  const w = await witness(t);
  const raw = await culprit(t);
  raw.send('["1","2","room:a","echo",{');
  await closesWith(raw, 1011);
  await witnessStillWorks(w);
});

test("a short array closes with 1011", async (t) => {
  const w = await witness(t);
  const raw = await culprit(t);
  raw.send(["1", "2", "room:a", "echo"]);
  await closesWith(raw, 1011);
  await witnessStillWorks(w);
});

test("a non-string topic closes with 1011", async (t) => {
  const w = await witness(t);
  const raw = await culprit(t);
  raw.send(["1", "1", 5, "phx_join", {}]);
  await closesWith(raw, 1011);
  await witnessStillWorks(w);
});

test("invalid UTF-8 in a text frame closes with 1007", async (t) => {
  const w = await witness(t);
  const raw = await culprit(t);
  raw.sendTextBytes(Buffer.concat([Buffer.from('["1","2","room:a","echo",{"s":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]));
  await closesWith(raw, 1007);
  await witnessStillWorks(w);
});

test("an oversized (2 MiB) frame closes with 1009", async (t) => {
  const w = await witness(t);
  const raw = await culprit(t);
  raw.send(JSON.stringify(["1", "2", "room:a", "echo", { s: "z".repeat(2 * 1024 * 1024) }]));
  await closesWith(raw, 1009);
  await witnessStillWorks(w);
});

test("a truncated binary frame closes with 1011", async (t) => {
  const w = await witness(t);
  const raw = await culprit(t);
  // kind 0, join_ref/ref/topic/event lengths of 5 each, but only one byte follows the header
  raw.send(Buffer.from([0x00, 0x05, 0x05, 0x05, 0x05, 0x61]));
  await closesWith(raw, 1011);
  await witnessStillWorks(w);
});

test("an unknown transport path answers HTTP 404", async (t) => {
  const w = await witness(t);
  const res = await httpRequest(server, "GET", "/socket/foo?vsn=2.0.0");
  assert.equal(res.status, 404);
  const upgrade = await tryUpgrade(t, server, { path: "/socket/foo" });
  assert.equal(upgrade.status, 404, "an upgrade on an unknown path is refused too");
  await witnessStillWorks(w);
});

test("a bad vsn is refused: 403 on WebSocket, {status:403} on long-poll", async (t) => {
  const w = await witness(t);
  const ws = await tryUpgrade(t, server, { query: "vsn=9.9.9" });
  assert.equal(ws.status, 403);
  const lp = await lpGet(server, { query: "vsn=9.9.9" });
  assertLpAnswer(lp, { status: 403 });
  await witnessStillWorks(w);
});

test("a bad long-poll token: POST gets 410, GET gets 410 with a new session", async (t) => {
  const w = await witness(t);
  for (const bad of ["0.not-a-session", "garbage", "99999.x", ""]) {
    const post = await lpPost(server, bad, [[null, "1", "phoenix", "heartbeat", {}]]);
    assertLpAnswer(post, { status: 410 });
    const get = await lpGet(server, { token: bad });
    assertLpAnswer(get);
    assert.equal(get.body.status, 410, `GET with token "${bad}": ${get.text}`);
    assert.equal(typeof get.body.token, "string");
    assert.ok(get.body.token.length > 0);
    assert.notEqual(get.body.token, bad);
    assert.deepEqual(get.body.messages, []);
    // The new session is usable.
    const hb = await lpPost(server, get.body.token, [[null, "hb", "phoenix", "heartbeat", {}]]);
    assertLpAnswer(hb, { status: 200 });
    const frames = await lpCollect(server, get.body.token, 1);
    assert.deepEqual(frames, [[null, "hb", "phoenix", "phx_reply", OK()]]);
  }
  await witnessStillWorks(w);
});

test("a long-poll POST of 10,000 lines: 200, and only the first 100 are processed", async (t) => {
  const w = await witness(t);
  const token = await lpSession(server);
  assertLpAnswer(await lpPost(server, token, [["1", "1", "room:lp", "phx_join", {}]]), { status: 200 });
  assert.deepEqual(await lpCollect(server, token, 1), [["1", "1", "room:lp", "phx_reply", OK()]]);

  const lines = [];
  for (let i = 0; i < 10000; i++) lines.push(["1", `e${i}`, "room:lp", "echo", { i }]);
  const res = await lpPost(server, token, lines, { timeoutMs: 20000 });
  assertLpAnswer(res, { status: 200 });

  const frames = await lpCollect(server, token, 100, 10000);
  assert.equal(frames.length, 100);
  frames.forEach((f, i) => assert.deepEqual(f, ["1", `e${i}`, "room:lp", "phx_reply", OK({ i })]));
  // Nothing else follows: the next poll runs out its window.
  const after = await lpGet(server, { token, timeoutMs: WINDOW_MS + 10000 });
  assertLpAnswer(after, { messages: [], status: 204, token });
  await witnessStillWorks(w);
});

/**
 * Announces a `size`-byte POST body over a raw socket and resolves with the answer. The
 * body is only sent if no answer came within a second of the header (a server that
 * checks the announced length answers at once).
 */
function announcedPost(pathname, size, ms = 20000) {
  return withTimeout(new Promise((resolve) => {
    const sock = net.connect(server.port, HOST);
    const chunks = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve(Buffer.concat(chunks).toString("latin1"));
    };
    sock.on("data", (c) => {
      chunks.push(c);
      if (/\r\n\r\n/.test(Buffer.concat(chunks).toString("latin1"))) setTimeout(finish, 100);
    });
    sock.on("error", finish);
    sock.on("close", finish);
    sock.on("connect", async () => {
      sock.write(`POST ${pathname} HTTP/1.1\r\nHost: ${HOST}:${server.port}\r\n` +
        `Content-Type: application/x-ndjson\r\nContent-Length: ${size}\r\n\r\n`);
      await new Promise((r) => setTimeout(r, 1000));
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      for (let sent = 0; sent < size && !done && !sock.destroyed && chunks.length === 0; sent += chunk.length) {
        const ok = sock.write(chunk.subarray(0, Math.min(chunk.length, size - sent)));
        if (!ok) await new Promise((r) => { sock.once("drain", r); sock.once("close", r); });
      }
    });
  }), ms, "announced POST");
}

/** A plain Node HTTP client POSTing `body` in one go; resolves {status} or {error}. */
function plainPost(pathname, body, ms = 20000) {
  return withTimeout(new Promise((resolve) => {
    const req = http.request({
      host: HOST, port: server.port, method: "POST", path: pathname, agent: false,
      headers: { "content-type": "application/x-ndjson", "content-length": body.length },
    }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode }));
      res.on("error", (e) => resolve({ status: res.statusCode, error: e.code }));
    });
    req.on("error", (e) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  }), ms, "plain POST");
}

async function sessionStillWorks(token) {
  const hb = await lpPost(server, token, [[null, "hb", "phoenix", "heartbeat", {}]]);
  assertLpAnswer(hb, { status: 200 });
  assert.deepEqual(await lpCollect(server, token, 1), [[null, "hb", "phoenix", "phx_reply", OK()]]);
  const health = await httpRequest(server, "GET", "/healthz");
  assert.equal(health.status, 200);
}

test("a 20 MB long-poll POST announced by Content-Length answers HTTP 413", async (t) => {
  const w = await witness(t);
  const token = await lpSession(server);
  const answer = await announcedPost(`/socket/longpoll?vsn=2.0.0&token=${encodeURIComponent(token)}`, 20 * 1000 * 1000);
  assert.match(answer, /^HTTP\/1\.1 413 /, `answer: ${answer.slice(0, 200)}`);
  await sessionStillWorks(token);
  await witnessStillWorks(w);
});

test("a 20 MB long-poll POST sent in one go: the client receives the 413", async (t) => {
  // An ordinary client writes the whole body before it reads. The server must not reset
  // the connection under it (close with unread input) before the 413 can be read.
  const w = await witness(t);
  const token = await lpSession(server);
  const res = await plainPost(`/socket/longpoll?vsn=2.0.0&token=${encodeURIComponent(token)}`,
    Buffer.alloc(20 * 1000 * 1000, 0x61));
  assert.deepEqual(res, { status: 413 });
  await sessionStillWorks(token);
  await witnessStillWorks(w);
});

test("200 garbage TCP connections do not disturb the server", async (t) => {
  const w = await witness(t);
  const one = () => new Promise((resolve) => {
    const sock = net.connect(server.port, HOST);
    sock.on("error", () => resolve());
    sock.on("close", () => resolve());
    sock.on("connect", () => {
      sock.write(crypto.randomBytes(1 + crypto.randomInt(4096)), () => sock.end());
      setTimeout(() => sock.destroy(), 2000);
    });
  });
  const batch = [];
  for (let i = 0; i < 200; i++) batch.push(one());
  await withTimeout(Promise.all(batch), 20000, "garbage connections");
  const health = await httpRequest(server, "GET", "/healthz");
  assert.equal(health.status, 200);
  await witnessStillWorks(w);
  // New clients are served too.
  const fresh = await openRaw(t, server);
  await fresh.join("room:fresh");
  await fresh.heartbeat();
});
