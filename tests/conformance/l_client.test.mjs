// Section L: behaviour with the official client, fast items (116, 117, 123, 126,
// 128, 129). The slow, timing-based items are in l_client_slow.test.mjs.
// The fixture's 10 s long-poll window is shortened to 2 s (--longpoll-window-ms)
// so that long-poll session loss (129) is noticed quickly.
import assert from "node:assert/strict";
import { Socket, LongPoll } from "phoenix";
import { Socket as Socket1815 } from "phoenix-1815";
import { useServer, test, freePort, sleep } from "./harness.mjs";
import {
  recordingTransport, waitFor, frames, joinOk, pushResult, opened, startRelay,
} from "./client.mjs";

const server = useServer({ args: ["--longpoll-window-ms", "2000"] });

function newSocket(t, SocketClass, endPoint, opts) {
  const socket = new SocketClass(endPoint, opts);
  t.cleanup(() => socket.disconnect());
  return socket;
}

const replyTo = (log, conn, ref) => log.find((e) => e.type === "in" && e.conn === conn
  && Array.isArray(e.frame) && e.frame[1] === ref && e.frame[3] === "phx_reply");

test("116 reconnect and rejoin after a forced disconnect (1001)", async (t) => {
  const log = [];
  const socket = newSocket(t, Socket, `${server.wsBase}/socket`, {
    transport: recordingTransport(log), params: { user_id: "u116" },
  });
  socket.connect();
  const ch = socket.channel("room:a116");
  await joinOk(ch);
  const oldJoinRef = ch.joinRef();
  await server.broadcastOk("user_socket:u116", "disconnect", {});
  const close = await waitFor(() => log.find((e) => e.type === "close" && e.conn === 1), 3000, "close of the first connection");
  assert.equal(close.code, 1001);
  const reconnect = await waitFor(() => log.find((e) => e.type === "connect" && e.conn === 2), 3000, "reconnect");
  const gap = reconnect.t - close.t;
  assert.ok(gap >= 8 && gap < 300, `reconnected ${gap.toFixed(1)} ms after the close, expected about 10 ms`);
  const rejoin = await waitFor(() => frames(log, "out", { topic: "room:a116", event: "phx_join" }).find((e) => e.conn === 2), 3000, "rejoin");
  assert.equal(rejoin.frame[0], rejoin.frame[1]);
  assert.ok(Number(rejoin.frame[0]) > Number(oldJoinRef), `new join_ref ${rejoin.frame[0]} not greater than ${oldJoinRef}`);
  const reply = await waitFor(() => replyTo(log, 2, rejoin.frame[1]), 3000, "rejoin reply");
  assert.deepEqual(reply.frame, [rejoin.frame[0], rejoin.frame[0], "room:a116", "phx_reply", { response: {}, status: "ok" }]);
  await waitFor(() => ch.state === "joined" && ch.joinRef() === rejoin.frame[0], 2000, "channel joined again");
});

test("117 close code 1000: 1.8.15 stays down, 1.8.16 reconnects", async (t) => {
  // The server under test never closes a joined socket with 1000 by itself, so a
  // relay in front of it injects the 1000 close; join traffic goes to the real server.
  const relay = await startRelay(server);
  t.cleanup(() => relay.stop());
  for (const [SocketClass, version, reconnects] of [[Socket1815, "1.8.15", false], [Socket, "1.8.16", true]]) {
    const log = [];
    const socket = newSocket(t, SocketClass, `${relay.wsBase}/socket`, { transport: recordingTransport(log) });
    socket.connect();
    const ch = socket.channel(`room:a117_${version}`);
    await joinOk(ch);
    const oldJoinRef = ch.joinRef();
    relay.closeClients(1000, "");
    const close = await waitFor(() => log.find((e) => e.type === "close" && e.conn === 1), 3000, `${version}: close`);
    assert.equal(close.code, 1000);
    if (!reconnects) {
      await sleep(1500);
      assert.equal(log.filter((e) => e.type === "connect").length, 1, `${version} must not reconnect after 1000`);
    } else {
      await waitFor(() => log.find((e) => e.type === "connect" && e.conn === 2), 1000, `${version}: reconnect`);
      const rejoin = await waitFor(() => frames(log, "out", { topic: ch.topic, event: "phx_join" }).find((e) => e.conn === 2), 3000, "rejoin");
      assert.ok(Number(rejoin.frame[0]) > Number(oldJoinRef));
      await waitFor(() => ch.state === "joined" && ch.joinRef() === rejoin.frame[0], 3000, "channel joined again");
      assert.deepEqual(await pushResult(ch, "echo", { v: version }), { status: "ok", response: { v: version } });
    }
    socket.disconnect();
  }
});

test("123 push made before the join reply is sent after it, with the join_ref", async (t) => {
  const log = [];
  const socket = newSocket(t, Socket, `${server.wsBase}/socket`, { transport: recordingTransport(log) });
  socket.connect();
  await opened(socket);
  const ch = socket.channel("room:a123", { delay: 300 });
  const joined = joinOk(ch);
  const echoed = pushResult(ch, "echo", { x: 123 });
  await joined;
  assert.deepEqual(await echoed, { status: "ok", response: { x: 123 } });
  const [joinOut] = frames(log, "out", { topic: "room:a123", event: "phx_join" });
  const joinReply = replyTo(log, 1, joinOut.frame[1]);
  const echoOut = frames(log, "out", { topic: "room:a123", event: "echo" });
  assert.equal(echoOut.length, 1, "the buffered push is sent exactly once");
  assert.ok(log.indexOf(echoOut[0]) > log.indexOf(joinReply), "push sent before the join reply arrived");
  assert.equal(echoOut[0].frame[0], joinOut.frame[0]);
});

test("126 frames with the previous join_ref are not delivered after a rejoin", async (t) => {
  const log = [];
  const socket = newSocket(t, Socket, `${server.wsBase}/socket`, {
    transport: recordingTransport(log),
    rejoinAfterMs: () => 50, // shortens the client's 1 s first rejoin delay
  });
  socket.connect();
  await opened(socket);
  let joins = 0;
  // The first join blocks the server's socket for 1.5 s, longer than the 1 s join
  // timeout used here, so the client rejoins (params are re-evaluated: {}).
  const ch = socket.channel("room:a126", () => (++joins === 1 ? { delay: 1500 } : {}));
  const delivered = [];
  ch.on("pushed", (payload, ref, joinRef) => delivered.push(joinRef));
  let closes = 0;
  ch.onClose(() => { closes++; });
  const seen = [];
  socket.onMessage((m) => { if (m.topic === "room:a126") seen.push(m); });
  ch.join(1000);
  const firstJoinRef = ch.joinRef();
  // a push for the first join, queued behind it on the server
  socket.push({ topic: "room:a126", event: "push_me", payload: {}, ref: socket.makeRef(), join_ref: firstJoinRef });
  await waitFor(() => ch.state === "joined", 5000, "rejoin accepted");
  const secondJoinRef = ch.joinRef();
  assert.notEqual(secondJoinRef, firstJoinRef);
  const rejoinOut = frames(log, "out", { topic: "room:a126", event: "phx_join" }).find((e) => e.frame[0] === secondJoinRef);
  const stale = await waitFor(() => log.find((e) => e.type === "in" && Array.isArray(e.frame)
    && e.frame[0] === firstJoinRef && e.frame[3] === "pushed"), 3000, "the push of the first join");
  assert.deepEqual(stale.frame, [firstJoinRef, null, "room:a126", "pushed", { n: 1 }]);
  assert.ok(stale.t > rejoinOut.t, "the stale push must arrive after the rejoin was sent");
  assert.ok(seen.some((m) => m.event === "pushed" && m.join_ref === firstJoinRef), "socket saw the stale push");
  await sleep(200);
  assert.deepEqual(delivered, [], "stale push delivered to the channel");
  assert.equal(closes, 0, "stale phx_close delivered to the channel");
  assert.equal(ch.state, "joined");
  ch.push("push_me", {});
  await waitFor(() => delivered.length === 1, 3000, "push of the current join");
  assert.deepEqual(delivered, [secondJoinRef]);
});

test("128 long-poll fallback when WebSocket is blocked", async (t) => {
  const closedPort = await freePort();
  const log = [];
  // every WebSocket attempt goes to a closed port and fails at once
  const Blocked = recordingTransport(log, { rewriteUrl: (u) => u.replace(/:\d+\//, `:${closedPort}/`) });
  const socket = newSocket(t, Socket, `${server.wsBase}/socket`, { transport: Blocked, longPollFallbackMs: 2500 });
  const start = Date.now();
  socket.connect();
  const ch = socket.channel("room:a128", { via: "longpoll" });
  await joinOk(ch);
  assert.ok(Date.now() - start < 4000, "fallback took longer than the fallback timer");
  assert.ok(log.some((e) => e.type === "connect"), "WebSocket was tried first");
  assert.ok(!log.some((e) => e.type === "open"), "WebSocket must not have opened");
  assert.equal(socket.transport, LongPoll);
  assert.ok(socket.conn instanceof LongPoll);
  assert.equal(socket.conn.pollEndpoint, `${server.origin}/socket/longpoll?vsn=2.0.0`);
  assert.deepEqual(await pushResult(ch, "echo", { over: "longpoll" }), { status: "ok", response: { over: "longpoll" } });
  const ch2 = socket.channel("room:b128");
  await joinOk(ch2);
  assert.deepEqual(await pushResult(ch2, "inspect", {}).then((r) => r.response.join_payload), {});
});

test("129 long-poll session loss: reconnect and rejoin all channels", async (t) => {
  const socket = newSocket(t, Socket, `${server.wsBase}/socket`, { transport: LongPoll, params: { user_id: "u129" } });
  const closes = [];
  socket.onClose((e) => closes.push(e));
  let opens = 0;
  socket.onOpen(() => { opens++; });
  socket.connect();
  const a = socket.channel("room:a129");
  const b = socket.channel("room:b129");
  await joinOk(a);
  await joinOk(b);
  const [refA, refB] = [a.joinRef(), b.joinRef()];
  assert.equal(opens, 1);
  await server.broadcastOk("user_socket:u129", "disconnect", {});
  const close = await waitFor(() => closes[0], 10000, "session loss noticed by the client");
  assert.equal(close.code, 3410);
  assert.equal(close.reason, "session_gone");
  await waitFor(() => opens === 2, 5000, "new long-poll session");
  await waitFor(() => a.state === "joined" && b.state === "joined" && a.joinRef() !== refA && b.joinRef() !== refB, 5000, "both channels rejoined");
  assert.ok(Number(a.joinRef()) > Number(refA) && Number(b.joinRef()) > Number(refB));
  assert.deepEqual(await pushResult(a, "echo", { a: 1 }), { status: "ok", response: { a: 1 } });
  assert.deepEqual(await pushResult(b, "echo", { b: 1 }), { status: "ok", response: { b: 1 } });
});
