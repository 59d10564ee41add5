// Utilities for driving the official `phoenix` client (pinned 1.8.16, plus 1.8.15 for
// item 117) from Node against the fixture app.
//
// Node 20 has no global WebSocket, so the client gets `ws` as its transport. The
// client's long-poll transport uses XMLHttpRequest when present and otherwise
// fetch + AbortController (phoenix/assets/js/phoenix/ajax.js): in Node it uses fetch.

import { performance } from "node:perf_hooks";
import assert from "node:assert/strict";
import { WebSocketServer } from "ws";
import { WebSocket, sleep, freePort, HOST } from "./harness.mjs";

export const now = () => performance.now();

function decodeData(data, isBinary) {
  if (isBinary) return Buffer.isBuffer(data) ? data : Buffer.from(data);
  const text = data.toString("utf8");
  try { return JSON.parse(text); } catch { return text; }
}

/**
 * Returns a WebSocket class (a `ws` subclass) that records every connection
 * attempt, open, frame in and out, close() call and close event into `log`:
 * entries {t, conn, type, ...} with t from performance.now().
 * `rewriteUrl` may redirect the connection (used to make WebSocket fail).
 */
export function recordingTransport(log, { rewriteUrl = (u) => u } = {}) {
  let connCounter = 0;
  return class RecordingWebSocket extends WebSocket {
    constructor(url, protocols) {
      super(rewriteUrl(url), protocols);
      const conn = ++connCounter;
      this.connId = conn;
      log.push({ t: now(), conn, type: "connect", url });
      this.on("open", () => log.push({ t: now(), conn, type: "open" }));
      this.on("message", (data, isBinary) => log.push({ t: now(), conn, type: "in", frame: decodeData(data, isBinary) }));
      this.on("close", (code, reason) => log.push({ t: now(), conn, type: "close", code, reason: reason.toString("utf8") }));
      this.on("error", (err) => log.push({ t: now(), conn, type: "error", message: err.message }));
    }

    send(data, ...rest) {
      const isBinary = typeof data !== "string";
      log.push({ t: now(), conn: this.connId, type: "out", frame: decodeData(isBinary ? Buffer.from(data) : data, isBinary) });
      return super.send(data, ...rest);
    }

    close(code, reason) {
      log.push({ t: now(), conn: this.connId, type: "closeCall", code, reason });
      return super.close(code, reason);
    }
  };
}

/** Polls `pred` every 10 ms; resolves its first truthy value or fails after `ms`. */
export async function waitFor(pred, ms, what) {
  const deadline = now() + ms;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Frames of one type ("in"/"out") matching topic/event, in log order. */
export function frames(log, type, { topic, event } = {}) {
  return log.filter((e) => e.type === type && Array.isArray(e.frame)
    && (topic === undefined || e.frame[2] === topic)
    && (event === undefined || e.frame[3] === event));
}

/** Joins a channel object; resolves the response on "ok", rejects on error/timeout. */
export function joinOk(channel, timeoutMs) {
  return new Promise((resolve, reject) => {
    const push = timeoutMs === undefined ? channel.join() : channel.join(timeoutMs);
    push.receive("ok", resolve)
      .receive("error", (r) => reject(new Error(`join ${channel.topic} refused: ${JSON.stringify(r)}`)))
      .receive("timeout", () => reject(new Error(`join ${channel.topic} timed out`)));
  });
}

/** Pushes and resolves {status, response} with whatever the push receives first. */
export function pushResult(channel, event, payload, timeoutMs) {
  return new Promise((resolve) => {
    const push = timeoutMs === undefined ? channel.push(event, payload) : channel.push(event, payload, timeoutMs);
    for (const status of ["ok", "error", "timeout", "custom"]) {
      push.receive(status, (response) => resolve({ status, response }));
    }
  });
}

/** Resolves once the socket reports open; fails after `ms`. */
export function opened(socket, ms = 5000) {
  if (socket.isConnected()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket not open within ${ms} ms`)), ms);
    const ref = socket.onOpen(() => { clearTimeout(timer); socket.off([ref]); resolve(); });
  });
}

/**
 * A WebSocket relay in front of the real server: the client connects to the relay,
 * which forwards every frame both ways to the server. Used where a test needs the
 * connection to close with a code the server under test never chooses on its own.
 */
export async function startRelay(server) {
  const port = await freePort();
  const wss = new WebSocketServer({ host: HOST, port });
  await new Promise((resolve) => wss.once("listening", resolve));
  const pairs = new Set();
  wss.on("connection", (client, req) => {
    const upstream = new WebSocket(`${server.wsBase}${req.url}`);
    const pending = [];
    const pair = { client, upstream };
    pairs.add(pair);
    upstream.on("open", () => { for (const [d, b] of pending.splice(0)) upstream.send(d, { binary: b }); });
    upstream.on("message", (d, b) => { if (client.readyState === WebSocket.OPEN) client.send(d, { binary: b }); });
    client.on("message", (d, b) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(d, { binary: b });
      else pending.push([d, b]);
    });
    const end = () => {
      pairs.delete(pair);
      try { upstream.close(); } catch { /* ignore */ }
      try { client.close(); } catch { /* ignore */ }
    };
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", () => {});
    upstream.on("error", () => {});
  });
  return {
    port,
    wsBase: `ws://${HOST}:${port}`,
    connections: () => pairs.size,
    /** Closes every client-side connection with `code` (server side closed normally). */
    closeClients(code, reason = "") {
      for (const { client } of pairs) client.close(code, reason);
    },
    async stop() {
      for (const { client, upstream } of pairs) { client.terminate(); upstream.terminate(); }
      await new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
