// Shared harness for the conformance suite.
//
// Starts the fixture app (`$ROOST_BIN/room`) on a free loopback port, talks to it
// with raw WebSocket frames and raw HTTP, and always stops it again. Every wait is
// bounded: a test fails, it never hangs.

import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import fs from "node:fs";
import { test as nodeTest, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { watchSanitizerReports } from "../support/sanitizer_reports.mjs";
import { HOST, sleep, withTimeout, freePort } from "../support/node_helpers.mjs";

export { WebSocket, HOST, sleep, withTimeout, freePort };

const START_TIMEOUT_MS = 15000;
const OUTPUT_LIMIT = 64 * 1024;


// ---------------------------------------------------------------------------
// Server processes
// ---------------------------------------------------------------------------

const liveServers = new Set();
let recentServers = [];

function killAllNow() {
  for (const s of liveServers) {
    try { s.proc.kill("SIGKILL"); } catch { /* already gone */ }
  }
}
process.on("exit", killAllNow);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(sig, () => { killAllNow(); process.exit(130); });
}


function roomBinary() {
  const dir = process.env.ROOST_BIN;
  if (!dir) throw new Error("ROOST_BIN is not set (directory holding the `room` program, e.g. build/bin)");
  const bin = path.resolve(dir, "room");
  if (!fs.existsSync(bin)) throw new Error(`room program not found at ${bin}`);
  return bin;
}

/** One HTTP request to the server; resolves {status, headers, text}. */
export function httpRequest(server, method, pathname, { headers = {}, body = null, timeoutMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: server.host, port: server.port, method, path: pathname, headers, agent: false },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", (e) => { clearTimeout(timer); reject(e); });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`${method} ${pathname}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (e) => { clearTimeout(timer); reject(e); });
    if (body !== null && body !== undefined) req.write(body);
    req.end();
  });
}

class ServerHandle {
  constructor(proc, port, args) {
    this.proc = proc;
    this.port = port;
    this.host = HOST;
    this.args = args;
    this.output = "";
    this.exited = null; // {code, signal} once the process ended
    this.exitPromise = new Promise((resolve) => {
      proc.on("exit", (code, signal) => {
        this.exited = { code, signal, at: Date.now() };
        liveServers.delete(this);
        resolve(this.exited);
      });
    });
    const append = (tag) => (chunk) => {
      this.output += chunk.toString("utf8").replace(/^(?=.)/gm, tag);
      if (this.output.length > OUTPUT_LIMIT) this.output = this.output.slice(-OUTPUT_LIMIT);
    };
    proc.stdout.on("data", append("[out] "));
    proc.stderr.on("data", append("[err] "));
    // Instrumented builds: a report, even one printed while the server stops after the
    // last assertion, fails the test file.
    watchSanitizerReports(proc, `room ${args.join(" ")}`);
  }

  get origin() { return `http://${this.host}:${this.port}`; }
  get wsBase() { return `ws://${this.host}:${this.port}`; }

  /** Waits for the process to end; resolves {code, signal} or null after `ms`. */
  async waitExit(ms) {
    if (this.exited) return this.exited;
    let timer;
    const res = await Promise.race([
      this.exitPromise,
      new Promise((resolve) => { timer = setTimeout(() => resolve(null), ms); }),
    ]);
    clearTimeout(timer);
    return res;
  }

  signal(sig) {
    if (!this.exited) this.proc.kill(sig);
  }

  /** Stops the server: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 6000) {
    if (this.exited) return this.exited;
    try { this.proc.kill("SIGCONT"); } catch { /* ignore */ }
    this.signal("SIGTERM");
    const res = await this.waitExit(graceMs);
    if (res) return res;
    this.signal("SIGKILL");
    return this.waitExit(5000);
  }

  /** Broadcasts from the application side through the fixture's POST /api/broadcast. */
  async broadcast(topic, event, payload) {
    const body = JSON.stringify({ topic, event, payload });
    return httpRequest(this, "POST", "/api/broadcast", {
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      body,
    });
  }

  /** Same as broadcast() but asserts the fixture's 200 {"ok":true} answer. */
  async broadcastOk(topic, event, payload) {
    const res = await this.broadcast(topic, event, payload);
    assert.equal(res.status, 200, `POST /api/broadcast answered ${res.status}: ${res.text}`);
    assert.deepEqual(JSON.parse(res.text), { ok: true });
    return res;
  }
}

/**
 * If this Node process dies without running its exit handlers (e.g. SIGKILL from a
 * test timeout), a small watchdog whose stdin is a pipe from us sees EOF and kills
 * the server. The watchdog is ended as soon as the server exits normally.
 */
export function guardAgainstOrphan(proc) {
  if (!proc.pid) return;
  const watchdog = spawn("sh", ["-c", `cat >/dev/null; kill -KILL ${proc.pid} 2>/dev/null`], {
    stdio: ["pipe", "ignore", "ignore"],
  });
  watchdog.on("error", () => {});
  watchdog.unref();
  watchdog.stdin.on("error", () => {});
  watchdog.stdin.unref?.();
  watchdog.stdin._handle?.unref?.();
  const end = () => { try { watchdog.kill("SIGKILL"); } catch { /* gone */ } };
  proc.on("exit", end);
  process.on("exit", end);
}

/** The default readiness probe: GET /healthz over plain HTTP. */
const healthzProbe = (handle) => httpRequest(handle, "GET", "/healthz", { timeoutMs: 2000 });

async function waitListening(handle, probe) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const re = new RegExp(`room listening on ${HOST.replace(/\./g, "\\.")}:${handle.port}\\b`);
  while (!re.test(handle.output)) {
    if (handle.exited) throw new Error(`room exited early (${JSON.stringify(handle.exited)})\n${handle.output}`);
    if (Date.now() > deadline) throw new Error(`room did not print its listening line within ${START_TIMEOUT_MS} ms\n${handle.output}`);
    await sleep(20);
  }
  for (;;) {
    try {
      const res = await probe(handle);
      if (res.status === 200) return;
    } catch { /* not ready yet */ }
    if (handle.exited) throw new Error(`room exited early (${JSON.stringify(handle.exited)})\n${handle.output}`);
    if (Date.now() > deadline) throw new Error(`GET /healthz did not answer 200 within ${START_TIMEOUT_MS} ms\n${handle.output}`);
    await sleep(50);
  }
}

/**
 * Starts `room --port N --host 127.0.0.1 ...args` (with `env` added to this process's
 * environment) and resolves once it is accepting
 * (listening line printed and `probe`, by default GET /healthz, answers 200).
 */
export async function startServer({ args = [], port = null, probe = healthzProbe, env = null } = {}) {
  const bin = roomBinary();
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const p = port ?? (await freePort());
    const argv = ["--port", String(p), "--host", HOST, ...args];
    const proc = spawn(bin, argv, { stdio: ["ignore", "pipe", "pipe"], env: env ? { ...process.env, ...env } : process.env });
    const handle = new ServerHandle(proc, p, argv);
    guardAgainstOrphan(proc);
    liveServers.add(handle);
    recentServers.push(handle);
    if (recentServers.length > 8) recentServers = recentServers.slice(-8);
    proc.on("error", (e) => { handle.output += `[spawn error] ${e.message}\n`; });
    try {
      await waitListening(handle, probe);
      return handle;
    } catch (e) {
      lastError = e;
      await handle.stop(1000);
      if (port !== null) break; // the caller wanted this port: do not pick another
    }
  }
  throw lastError;
}

/**
 * Registers before/after hooks that start one server for the test file and always
 * stop it. Returns a handle whose fields are filled in once the server runs.
 */
export function useServer(opts = {}) {
  const holder = {};
  let server = null;
  before(async () => {
    server = await startServer(opts);
    Object.setPrototypeOf(holder, server);
  });
  after(async () => {
    if (server) await server.stop();
  });
  return holder;
}

/**
 * node:test `test` with a default timeout; on failure the recent output of the
 * servers started by this file is printed to stderr.
 */
export function test(name, opts, fn) {
  if (typeof opts === "function") { fn = opts; opts = {}; }
  const options = { timeout: 30000, ...opts };
  return nodeTest(name, options, async (t) => {
    const cleanups = [];
    t.cleanup = (f) => cleanups.push(f);
    try {
      await fn(t);
    } catch (e) {
      for (const s of recentServers) {
        process.stderr.write(`--- room (port ${s.port}${s.exited ? `, exited ${JSON.stringify(s.exited)}` : ""}) output, last lines ---\n`);
        process.stderr.write(s.output.split("\n").slice(-60).join("\n") + "\n");
      }
      throw e;
    } finally {
      for (const f of cleanups.reverse()) {
        try { await f(); } catch { /* best effort */ }
      }
    }
  });
}

// ---------------------------------------------------------------------------
// Raw WebSocket client
// ---------------------------------------------------------------------------

/** Decodes a received WebSocket message: text → JSON (or the raw string), binary → Buffer. */
function decode(data, isBinary) {
  if (isBinary) return Buffer.isBuffer(data) ? data : Buffer.concat(data);
  const text = data.toString("utf8");
  try { return JSON.parse(text); } catch { return text; }
}

export class Raw {
  constructor(ws) {
    this.ws = ws;
    this.queue = [];
    this.waiters = [];
    this.closeInfo = null;
    this.closeWaiters = [];
    this.upgradeHeaders = null;
    ws.on("message", (data, isBinary) => {
      const frame = decode(data, isBinary);
      const w = this.waiters.shift();
      if (w) w.resolve(frame); else this.queue.push(frame);
    });
    ws.on("close", (code, reason) => {
      this.closeInfo = { code, reason: reason.toString("utf8"), at: Date.now() };
      for (const w of this.waiters.splice(0)) w.reject(new Error(`connection closed (code ${code}) while waiting for a frame`));
      for (const w of this.closeWaiters.splice(0)) w(this.closeInfo);
    });
    ws.on("error", () => { /* reported through close */ });
  }

  /**
   * Opens a WebSocket to the server and resolves once it is open.
   * Rejects (with .status set) when the upgrade is refused.
   */
  static open(server, { query = "vsn=2.0.0", path: p = "/socket/websocket", headers = {}, protocols, timeoutMs = 5000, localAddress } = {}) {
    return new Promise((resolve, reject) => {
      const url = `${server.wsBase}${p}${query === null ? "" : `?${query}`}`;
      const ws = new WebSocket(url, protocols, { headers, handshakeTimeout: timeoutMs, perMessageDeflate: false, localAddress });
      const raw = new Raw(ws);
      ws.on("upgrade", (res) => { raw.upgradeHeaders = res.headers; });
      ws.on("unexpected-response", (req, res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const err = new Error(`upgrade refused with HTTP ${res.statusCode}`);
          err.status = res.statusCode;
          err.body = Buffer.concat(chunks).toString("utf8");
          err.headers = res.headers;
          req.destroy();
          reject(err);
        });
      });
      ws.once("open", () => resolve(raw));
      ws.once("error", (e) => reject(e));
    });
  }

  /** Sends a frame: arrays/objects as JSON text, Buffers as binary, strings as text. */
  send(frame) {
    if (Buffer.isBuffer(frame)) this.ws.send(frame, { binary: true });
    else if (typeof frame === "string") this.ws.send(frame, { binary: false });
    else this.ws.send(JSON.stringify(frame), { binary: false });
  }

  /** Sends raw bytes in a text frame (no UTF-8 check on our side). */
  sendTextBytes(buf) { this.ws.send(buf, { binary: false }); }

  /** The next decoded frame; fails after `ms`. */
  next(ms = 2000) {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    if (this.closeInfo) return Promise.reject(new Error(`connection closed (code ${this.closeInfo.code}) before a frame arrived`));
    return new Promise((resolve, reject) => {
      const w = {
        resolve: (f) => { clearTimeout(timer); resolve(f); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no frame within ${ms} ms`));
      }, ms);
      this.waiters.push(w);
    });
  }

  /** Next frame, asserted deepEqual to `expected` (JSON value or Buffer). */
  async expect(expected, ms = 2000, message) {
    const got = await this.next(ms);
    if (Buffer.isBuffer(expected)) {
      assert.ok(Buffer.isBuffer(got), `${message ?? "frame"}: expected a binary frame, got ${JSON.stringify(got)}`);
      assert.equal(got.toString("hex"), expected.toString("hex"), message);
    } else {
      assert.deepEqual(got, expected, message);
    }
    return got;
  }

  /** Asserts that no frame arrives within `ms`. */
  async expectNothing(ms = 300, message = "expected no frame") {
    if (this.queue.length) assert.fail(`${message}, got ${describe(this.queue[0])}`);
    let got;
    try { got = await this.next(ms); } catch (e) {
      if (/no frame within/.test(e.message)) return;
      if (/closed/.test(e.message)) return; // nothing arrived; callers check the connection state separately
      throw e;
    }
    assert.fail(`${message}, got ${describe(got)}`);
  }

  /** Resolves {code, reason} once the connection is closed; fails after `ms`. */
  closed(ms = 3000) {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return withTimeout(new Promise((resolve) => this.closeWaiters.push(resolve)), ms, "connection not closed");
  }

  get isOpen() { return this.ws.readyState === WebSocket.OPEN && !this.closeInfo; }

  /** Sends a phx_join and asserts the accepting reply. Returns the join ref. */
  async join(topic, payload = {}, joinRef = String(++Raw.refCounter)) {
    this.send([joinRef, joinRef, topic, "phx_join", payload]);
    await this.expect([joinRef, joinRef, topic, "phx_reply", { response: {}, status: "ok" }], 3000, `join ${topic}`);
    return joinRef;
  }

  /** Sends a heartbeat and asserts its reply. */
  async heartbeat(ref = `hb${++Raw.refCounter}`) {
    this.send([null, ref, "phoenix", "heartbeat", {}]);
    await this.expect([null, ref, "phoenix", "phx_reply", { response: {}, status: "ok" }], 2000, "heartbeat reply");
  }

  close(code) {
    try {
      if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
      else this.ws.close(code);
    } catch { /* ignore */ }
  }

  terminate() { try { this.ws.terminate(); } catch { /* ignore */ } }
}
Raw.refCounter = 1000;

function describe(frame) {
  return Buffer.isBuffer(frame) ? `binary ${frame.toString("hex")}` : JSON.stringify(frame);
}

/**
 * Opens a raw V2 socket and registers its closing at the end of the test `t`.
 */
export async function openRaw(t, server, opts) {
  const raw = await Raw.open(server, opts);
  t.cleanup?.(() => raw.terminate());
  return raw;
}

/**
 * Attempts an upgrade; resolves {status, body, headers, raw}. status 101 means it
 * was accepted (raw is the open socket, closed at the end of the test).
 */
export async function tryUpgrade(t, server, opts) {
  try {
    const raw = await openRaw(t, server, opts);
    return { status: 101, headers: raw.upgradeHeaders, raw };
  } catch (e) {
    if (e.status) return { status: e.status, body: e.body, headers: e.headers };
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Long-poll
// ---------------------------------------------------------------------------

/**
 * One long-poll request. Resolves {httpStatus, headers, body, text}; body is the
 * parsed JSON (or null when the answer is not JSON).
 */
export async function lpRequest(server, method, { query = "vsn=2.0.0", token, headers = {}, body = null, timeoutMs = 20000 } = {}) {
  let qs = query ?? "";
  if (token !== undefined && token !== null) qs += `${qs ? "&" : ""}token=${encodeURIComponent(token)}`;
  const pathname = `/socket/longpoll${qs ? `?${qs}` : ""}`;
  const h = { ...headers };
  if (body !== null && body !== undefined) h["content-length"] = Buffer.byteLength(body);
  const res = await httpRequest(server, method, pathname, { headers: h, body, timeoutMs });
  let parsed = null;
  try { parsed = res.text === "" ? null : JSON.parse(res.text); } catch { parsed = null; }
  return { httpStatus: res.status, headers: res.headers, body: parsed, text: res.text };
}

export function lpGet(server, opts = {}) {
  return lpRequest(server, "GET", { ...opts, headers: { accept: "application/json", ...(opts.headers ?? {}) } });
}

/**
 * POSTs messages. `messages` is an array of frames (arrays → JSON, strings as they
 * are) joined with "\n", or one string used as the whole body.
 */
export function lpPost(server, token, messages, { contentType = "application/x-ndjson", ...opts } = {}) {
  const body = Array.isArray(messages)
    ? messages.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join("\n")
    : messages;
  return lpRequest(server, "POST", { ...opts, token, body, headers: { "content-type": contentType, ...(opts.headers ?? {}) } });
}

/** Asserts the common headers of a long-poll answer (HTTP 200, JSON, CORS, no-store). */
export function assertLpAnswer(res, expectedBody) {
  assert.equal(res.httpStatus, 200, `HTTP status (body ${res.text})`);
  assert.equal(res.headers["content-type"], "application/json; charset=utf-8");
  assert.equal(res.headers["access-control-allow-origin"], "*");
  if (expectedBody !== undefined) assert.deepEqual(res.body, expectedBody);
}

/** Creates a long-poll session and returns its token. */
export async function lpSession(server, opts = {}) {
  const res = await lpGet(server, opts);
  assertLpAnswer(res);
  assert.equal(res.body?.status, 410, `session creation: ${res.text}`);
  assert.equal(typeof res.body.token, "string");
  assert.ok(res.body.token.length > 0);
  assert.deepEqual(res.body.messages, []);
  return res.body.token;
}

/** Collects decoded frames from GETs until `count` frames arrived (or fails after ms). */
export async function lpCollect(server, token, count, ms = 5000) {
  const frames = [];
  const deadline = Date.now() + ms;
  while (frames.length < count) {
    const left = deadline - Date.now();
    if (left <= 0) assert.fail(`long-poll: got ${frames.length} of ${count} frames: ${JSON.stringify(frames)}`);
    const res = await lpGet(server, { token, timeoutMs: left + 15000 });
    assertLpAnswer(res);
    assert.ok([200, 204].includes(res.body?.status), `poll answer: ${res.text}`);
    assert.equal(res.body.token, token);
    for (const m of res.body.messages) {
      assert.equal(typeof m, "string", "long-poll messages are strings");
      frames.push(JSON.parse(m));
    }
  }
  return frames;
}

// ---------------------------------------------------------------------------
// Binary frame builders (protocol §5)
// ---------------------------------------------------------------------------

/** Client → server push (kind 0, 5-byte header). */
export function binaryPush(joinRef, ref, topic, event, payload) {
  const [j, r, t, e] = [joinRef ?? "", ref ?? "", topic, event].map((s) => Buffer.from(s, "utf8"));
  return Buffer.concat([Buffer.from([0, j.length, r.length, t.length, e.length]), j, r, t, e, Buffer.from(payload)]);
}

export const hex = (s) => Buffer.from(s.replace(/\s+/g, ""), "hex");
