// Harness for the cluster suite: a real redis-server and N `room` nodes on loopback.
//
// Each test file starts its own Redis (free port, temporary directory, no persistence)
// and its own nodes (`$ROOST_BIN/room --port <free> --node NAME --redis URL ...`), can
// kill -9 / restart a node on the same port and stop / start Redis on the same port, and
// always cleans up: processes are killed when the test process exits, even on SIGKILL
// (an orphan watchdog), and temporary directories are removed. Every wait is bounded.
//
// Stable API (other test files build on it):
//   startRedis()                 → RedisServer on a free port          (redis.url, .port)
//   startRedis(redis)            → the same server started again on its port
//   stopRedis(redis, {signal})   → stops it (SIGKILL by default; "SIGTERM" to shut down)
//   redisCommand(redis, ...args) → one RESP command, resolves the decoded reply
//   startNode(name, {redis, args, port, waitLink}) → ClusterNode (a running room)
//   kill(node)                   → SIGKILL, resolves once it exited
//   stop(node)                   → SIGTERM (graceful drain), SIGKILL after a grace period
//   restart(node, {waitLink})    → starts it again with the same name, port and args
//   useCluster({nodes, args, nodeArgs}) → before/after hooks: Redis + named nodes
//   connectClient(t, node, opts) → an official phoenix Socket connected to the node
//   join(socket, topic, payload) → a joined phoenix Channel
//   collect(channel, event)      → array filling with the payloads of `event`
//   runRoom(args, {ms, env})     → runs room to completion: {code, signal, output}
//   node.status() (GET /cluster), node.metrics() (GET /metrics parsed), node.waitLink(up)
// Plus re-exports: test, sleep, withTimeout, freePort, waitFor, joinOk, pushResult,
// Socket, Presence, WebSocket.

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { before, after } from "node:test";
import {
  startServer, freePort, httpRequest, sleep, withTimeout, HOST, test, WebSocket, guardAgainstOrphan,
} from "../conformance/harness.mjs";
import { waitFor, joinOk, pushResult, opened } from "../conformance/client.mjs";
import { Socket, Presence } from "../conformance/node_modules/phoenix/priv/static/phoenix.mjs";
import { watchSanitizerReports } from "../support/sanitizer_reports.mjs";

export { test, sleep, withTimeout, freePort, httpRequest, HOST, WebSocket, waitFor, joinOk, pushResult, opened, Socket, Presence };

const REDIS_START_TIMEOUT_MS = 10000;
const LINK_TIMEOUT_MS = 10000;
const OUTPUT_LIMIT = 32 * 1024;

// ---------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------

// Every spawned process adds an exit listener (its orphan watchdog); a cluster test
// spawns dozens.
process.setMaxListeners(Math.max(process.getMaxListeners(), 200));

const liveRedis = new Set();
const tempDirs = new Set();

process.on("exit", () => {
  for (const r of liveRedis) {
    try { r.proc.kill("SIGKILL"); } catch { /* gone */ }
  }
  for (const d of tempDirs) {
    try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
  }
});

/** Encodes one RESP command. */
function respCommand(args) {
  const parts = [`*${args.length}\r\n`];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), "utf8");
    parts.push(`$${b.length}\r\n`, b, "\r\n");
  }
  return Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p, "utf8"))));
}

/** Parses one RESP2 reply from buf; returns {value, rest} or null when incomplete. */
function parseResp(buf) {
  const eol = buf.indexOf("\r\n");
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[0]);
  const line = buf.subarray(1, eol).toString("utf8");
  const after = buf.subarray(eol + 2);
  switch (type) {
    case "+": return { value: line, rest: after };
    case "-": return { value: new Error(line), rest: after };
    case ":": return { value: Number(line), rest: after };
    case "$": {
      const n = Number(line);
      if (n < 0) return { value: null, rest: after };
      if (after.length < n + 2) return null;
      return { value: after.subarray(0, n).toString("utf8"), rest: after.subarray(n + 2) };
    }
    case "*": {
      const n = Number(line);
      if (n < 0) return { value: null, rest: after };
      const items = [];
      let rest = after;
      for (let i = 0; i < n; i++) {
        const r = parseResp(rest);
        if (!r) return null;
        items.push(r.value);
        rest = r.rest;
      }
      return { value: items, rest };
    }
    default: throw new Error(`not RESP: ${buf.toString("utf8").slice(0, 40)}`);
  }
}

/** Sends one command to Redis on `port` and resolves its reply (an Error reply rejects). */
export function redisCommandOnPort(port, args, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: HOST, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`redis ${args[0]}: no reply within ${timeoutMs} ms`)); }, timeoutMs);
    const done = (f) => { clearTimeout(timer); sock.destroy(); f(); };
    sock.on("connect", () => sock.write(respCommand(args)));
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      let r;
      try { r = parseResp(buf); } catch (e) { done(() => reject(e)); return; }
      if (!r) return;
      done(() => (r.value instanceof Error ? reject(r.value) : resolve(r.value)));
    });
    sock.on("error", (e) => done(() => reject(e)));
  });
}

export class RedisServer {
  constructor(port, dir) {
    this.port = port;
    this.dir = dir;
    this.proc = null;
    this.output = "";
    this.exited = null;
  }

  get url() { return `redis://${HOST}:${this.port}`; }
  get running() { return this.proc !== null && this.exited === null; }

  async start() {
    if (this.running) return this;
    const args = ["--port", String(this.port), "--bind", HOST, "--save", "", "--appendonly", "no",
      "--dir", this.dir, "--daemonize", "no", "--loglevel", "warning"];
    const proc = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    this.proc = proc;
    this.exited = null;
    const exitPromise = new Promise((resolve) => {
      proc.on("exit", (code, signal) => {
        this.exited = { code, signal };
        liveRedis.delete(this);
        resolve(this.exited);
      });
    });
    this.exitPromise = exitPromise;
    proc.on("error", (e) => { this.output += `[spawn error] ${e.message}\n`; });
    const append = (chunk) => {
      this.output += chunk.toString("utf8");
      if (this.output.length > OUTPUT_LIMIT) this.output = this.output.slice(-OUTPUT_LIMIT);
    };
    proc.stdout.on("data", append);
    proc.stderr.on("data", append);
    guardAgainstOrphan(proc);
    liveRedis.add(this);
    const deadline = Date.now() + REDIS_START_TIMEOUT_MS;
    for (;;) {
      if (this.exited) throw new Error(`redis-server exited at start (${JSON.stringify(this.exited)}):\n${this.output}`);
      try {
        if ((await redisCommandOnPort(this.port, ["PING"], 1000)) === "PONG") return this;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`redis-server did not answer PING within ${REDIS_START_TIMEOUT_MS} ms:\n${this.output}`);
      }
      await sleep(25);
    }
  }

  /** Stops the server (SIGKILL by default: an abrupt loss) and waits for its exit. */
  async stop({ signal = "SIGKILL" } = {}) {
    if (!this.running) return this.exited;
    this.proc.kill(signal);
    let timer;
    const res = await Promise.race([this.exitPromise, new Promise((r) => { timer = setTimeout(() => r(null), 5000); })]);
    clearTimeout(timer);
    if (res) return res;
    this.proc.kill("SIGKILL");
    return this.exitPromise;
  }
}

/**
 * startRedis() starts a new redis-server on a free loopback port in a temporary
 * directory; startRedis(redis) starts a stopped one again on the same port.
 */
export async function startRedis(existing) {
  if (existing instanceof RedisServer) return existing.start();
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roost-redis-"));
    tempDirs.add(dir);
    const redis = new RedisServer(await freePort(), dir);
    try {
      return await redis.start();
    } catch (e) {
      lastError = e; // most likely the port was taken meanwhile: try another
    }
  }
  throw lastError;
}

export async function stopRedis(redis, opts) {
  return redis.stop(opts);
}

export function redisCommand(redis, ...args) {
  return redisCommandOnPort(redis.port, args);
}

// ---------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------

function parseMetrics(text) {
  const out = {};
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

export class ClusterNode {
  constructor(name, { redis, args = [], port = null }) {
    this.name = name;
    this.redis = redis;
    this.args = args;
    this.port = port;
    this.server = null;
  }

  get host() { return HOST; }
  get origin() { return `http://${HOST}:${this.port}`; }
  get wsBase() { return `ws://${HOST}:${this.port}`; }
  get running() { return this.server !== null && this.server.exited === null; }
  get output() { return this.server ? this.server.output : ""; }

  argv() {
    const url = typeof this.redis === "string" ? this.redis : this.redis.url;
    return ["--node", this.name, "--redis", url, ...this.args];
  }

  async start({ waitLink = true } = {}) {
    this.server = await startServer({ args: this.argv(), port: this.port });
    this.port = this.server.port;
    if (waitLink) await this.waitLink(true);
    return this;
  }

  /** GET /cluster, parsed. */
  async status() {
    const res = await httpRequest(this.server, "GET", "/cluster", { timeoutMs: 3000 });
    if (res.status !== 200) throw new Error(`GET /cluster answered ${res.status}: ${res.text}`);
    return JSON.parse(res.text);
  }

  /** GET /metrics as {name: value}. */
  async metrics() {
    const res = await httpRequest(this.server, "GET", "/metrics", { timeoutMs: 3000 });
    if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
    return parseMetrics(res.text);
  }

  /** Resolves once /cluster reports the Redis link `up` (or not); fails after `ms`. */
  async waitLink(up = true, ms = LINK_TIMEOUT_MS) {
    const deadline = Date.now() + ms;
    let last;
    for (;;) {
      try {
        last = await this.status();
        if (last.redis?.connected === up) return last;
      } catch (e) { last = e.message; }
      if (this.server.exited) throw new Error(`node ${this.name} exited (${JSON.stringify(this.server.exited)})\n${this.output}`);
      if (Date.now() > deadline) {
        throw new Error(`node ${this.name}: Redis link not ${up ? "up" : "down"} within ${ms} ms (last /cluster: ${JSON.stringify(last)})\n${this.output}`);
      }
      await sleep(25);
    }
  }

  broadcast(topic, event, payload) { return this.server.broadcast(topic, event, payload); }
  broadcastOk(topic, event, payload) { return this.server.broadcastOk(topic, event, payload); }
}

/** Starts a room node in the cluster of `redis` (a RedisServer or a URL string). */
export async function startNode(name, { redis, args = [], port = null, waitLink = true } = {}) {
  if (!redis) throw new Error("startNode: pass { redis } (a RedisServer from startRedis() or a redis:// URL)");
  const node = new ClusterNode(name, { redis, args, port });
  return node.start({ waitLink });
}

/** kill -9: the node vanishes without a drain. */
export async function kill(node) {
  if (!node.running) return node.server?.exited ?? null;
  node.server.signal("SIGKILL");
  return node.server.waitExit(5000);
}

/** Graceful stop (SIGTERM and drain), SIGKILL after `graceMs`. */
export async function stop(node, graceMs = 6000) {
  if (!node.server) return null;
  return node.server.stop(graceMs);
}

/** Starts the node again with its name, port and arguments (killing it first if running). */
export async function restart(node, { waitLink = true } = {}) {
  if (node.running) await kill(node);
  return node.start({ waitLink });
}

/**
 * Registers before/after hooks for a test file: one Redis and one node per name in
 * `nodes`, all with `args` (plus nodeArgs[name]). The returned holder's `redis` and
 * `nodes` (by name, and `list` in order) are filled in before the first test.
 */
export function useCluster({ nodes = ["a", "b"], args = [], nodeArgs = {} } = {}) {
  const holder = { redis: null, nodes: {}, list: [] };
  before(async () => {
    holder.redis = await startRedis();
    for (const name of nodes) {
      const node = await startNode(name, { redis: holder.redis, args: [...args, ...(nodeArgs[name] ?? [])] });
      holder.nodes[name] = node;
      holder.list.push(node);
    }
  });
  after(async () => {
    await Promise.all(holder.list.map((n) => stop(n).catch(() => {})));
    if (holder.redis) await holder.redis.stop();
  });
  return holder;
}

// ---------------------------------------------------------------------------
// phoenix client helpers
// ---------------------------------------------------------------------------

/** An official phoenix Socket connected (open) to `node`; disconnected at the end of `t`. */
export async function connectClient(t, node, { params = {}, ...opts } = {}) {
  const socket = new Socket(`${node.wsBase}/socket`, { transport: WebSocket, params, ...opts });
  t.cleanup?.(() => socket.disconnect());
  socket.connect();
  await opened(socket);
  return socket;
}

/** A joined channel of `socket`. */
export async function join(socket, topic, payload = {}) {
  const channel = socket.channel(topic, payload);
  await joinOk(channel, 5000);
  return channel;
}

/** An array that fills with the payloads `channel` receives for `event`. */
export function collect(channel, event) {
  const got = [];
  channel.on(event, (payload) => got.push(payload));
  return got;
}

// ---------------------------------------------------------------------------
// One-shot runs (start-up failures)
// ---------------------------------------------------------------------------

/**
 * Runs `room ...args` until it exits (killed after `ms`), with `env` added to this
 * process's environment: {code, signal, output}.
 */
export function runRoom(args, { ms = 15000, env = {} } = {}) {
  const dir = process.env.ROOST_BIN;
  if (!dir) throw new Error("ROOST_BIN is not set (directory holding the `room` program)");
  return new Promise((resolve) => {
    const proc = spawn(path.resolve(dir, "room"), args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    guardAgainstOrphan(proc);
    watchSanitizerReports(proc, `room ${args.join(" ")}`);
    let output = "";
    const append = (c) => { output += c.toString("utf8"); };
    proc.stdout.on("data", append);
    proc.stderr.on("data", append);
    const timer = setTimeout(() => proc.kill("SIGKILL"), ms);
    // "close", not "exit": it comes after the output streams are drained.
    proc.on("close", (code, signal) => { clearTimeout(timer); resolve({ code, signal, output }); });
  });
}
