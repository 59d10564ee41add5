// Section G: channel termination and socket-level events (items 53-60).
import assert from "node:assert/strict";
import { useServer, startServer, test, openRaw, sleep } from "./harness.mjs";

const server = useServer();

const OK = (response = {}) => ({ response, status: "ok" });
const UNMATCHED = { response: { reason: "unmatched topic" }, status: "error" };

test("53 channel crash: phx_error, no reply, other channels unaffected", async (t) => {
  const raw = await openRaw(t, server);
  await raw.join("room:a", {}, "1");
  await raw.join("room:b", {}, "2");
  raw.send(["1", "60", "room:a", "boom", {}]);
  await raw.expect(["1", "1", "room:a", "phx_error", { reason: "channel_crash" }]);
  await raw.expectNothing(300, "no reply to the crashing message");
  assert.ok(raw.isOpen);
  await raw.heartbeat();
  raw.send(["2", "61", "room:b", "echo", { ok: 1 }]);
  await raw.expect(["2", "61", "room:b", "phx_reply", OK({ ok: 1 })]);
});

test("54 after a crash the topic is unjoined and can be joined again", async (t) => {
  const raw = await openRaw(t, server);
  await raw.join("room:a", {}, "1");
  raw.send(["1", "60", "room:a", "boom", {}]);
  await raw.expect(["1", "1", "room:a", "phx_error", { reason: "channel_crash" }]);
  raw.send(["1", "61", "room:a", "echo", {}]);
  await raw.expect([null, "61", "room:a", "phx_reply", UNMATCHED]);
  raw.send(["3", "3", "room:a", "phx_join", {}]);
  await raw.expect(["3", "3", "room:a", "phx_reply", OK()]);
  raw.send(["3", "4", "room:a", "echo", {}]);
  await raw.expect(["3", "4", "room:a", "phx_reply", OK()]);
});

test("55 normal stop: reply then phx_close", async (t) => {
  const raw = await openRaw(t, server);
  await raw.join("room:a", {}, "1");
  raw.send(["1", "62", "room:a", "stop", {}]);
  await raw.expect(["1", "62", "room:a", "phx_reply", OK()]);
  await raw.expect(["1", "1", "room:a", "phx_close", {}]);
  raw.send(["1", "63", "room:a", "echo", {}]);
  await raw.expect([null, "63", "room:a", "phx_reply", UNMATCHED]);
});

test("56 closing a socket terminates its channels and their subscriptions", async (t) => {
  // What is observable from the wire: after a socket with joined channels goes away
  // (clean close and abrupt TCP loss), broadcasts on those topics still reach the
  // remaining subscribers exactly once and the server keeps working; a fresh socket
  // with the same user id can join the same topics.
  const topics = ["room:s56a", "room:s56b", "room:s56c"];
  const watcher = await openRaw(t, server);
  for (const [i, topic] of topics.entries()) await watcher.join(topic, {}, `w${i}`);
  for (const mode of ["close", "terminate"]) {
    const gone = await openRaw(t, server, { query: "user_id=56&vsn=2.0.0" });
    for (const [i, topic] of topics.entries()) await gone.join(topic, {}, `g${i}`);
    if (mode === "close") { gone.close(1000); await gone.closed(); } else gone.terminate();
    for (const topic of topics) {
      await server.broadcastOk(topic, "after_close", { mode });
      await watcher.expect([null, null, topic, "after_close", { mode }]);
    }
    await watcher.expectNothing(200);
  }
  const again = await openRaw(t, server, { query: "user_id=56&vsn=2.0.0" });
  for (const [i, topic] of topics.entries()) await again.join(topic, {}, `n${i}`);
  await server.broadcastOk(topics[0], "hello", {});
  await again.expect([null, null, topics[0], "hello", {}]);
  await again.expectNothing(200, "exactly one delivery per joined socket");
});

test("57 forced disconnect closes with 1001", async (t) => {
  const raw = await openRaw(t, server, { query: "user_id=57&vsn=2.0.0" });
  await raw.join("room:a57", {}, "1");
  await raw.join("room:b57", {}, "2");
  const watcher = await openRaw(t, server);
  await watcher.join("room:a57", {}, "w");
  await server.broadcastOk("user_socket:57", "disconnect", {});
  const info = await raw.closed(3000);
  assert.equal(info.code, 1001);
  assert.deepEqual(raw.queue, [], "no frame is sent before the close");
  // the disconnected socket's channel no longer receives (and the topic still works)
  await server.broadcastOk("room:a57", "ping", {});
  await watcher.expect([null, null, "room:a57", "ping", {}]);
  // the same user can connect again
  const again = await openRaw(t, server, { query: "user_id=57&vsn=2.0.0" });
  await again.join("room:a57", {}, "1");
});

test("58 other events on the socket id topic are ignored", async (t) => {
  const raw = await openRaw(t, server, { query: "user_id=58&vsn=2.0.0" });
  await raw.join("room:a58", {}, "1");
  await server.broadcastOk("user_socket:58", "hello", { x: 1 });
  await raw.expectNothing(300);
  assert.ok(raw.isOpen);
  raw.send(["1", "2", "room:a58", "echo", {}]);
  await raw.expect(["1", "2", "room:a58", "phx_reply", OK()]);
});

test("59 anonymous sockets ignore disconnect broadcasts", async (t) => {
  const anon = await openRaw(t, server);
  await anon.join("room:a59", {}, "1");
  const identified = await openRaw(t, server, { query: "user_id=59&vsn=2.0.0" });
  await server.broadcastOk("user_socket:", "disconnect", {});
  await server.broadcastOk("user_socket:nobody", "disconnect", {});
  await server.broadcastOk("user_socket:59", "disconnect", {});
  // the identified socket is closed, which shows the broadcasts went out
  assert.equal((await identified.closed(3000)).code, 1001);
  await anon.expectNothing(300);
  assert.ok(anon.isOpen);
  anon.send(["1", "2", "room:a59", "echo", {}]);
  await anon.expect(["1", "2", "room:a59", "phx_reply", OK()]);
});

test("60 graceful shutdown closes joined sockets with 1012", async (t) => {
  // The fixture's 5 s drain timeout is shortened to 2 s.
  const DRAIN_MS = 2000;
  const own = await startServer({ args: ["--drain-timeout-ms", String(DRAIN_MS)] });
  t.cleanup(() => own.stop(1000));
  const a = await openRaw(t, own);
  const b = await openRaw(t, own);
  await a.join("room:d60", {}, "1");
  await b.join("room:e60", {}, "1");
  await b.join("room:f60", {}, "2");
  const sent = Date.now();
  own.signal("SIGTERM");
  const [ca, cb] = await Promise.all([a.closed(DRAIN_MS + 2000), b.closed(DRAIN_MS + 2000)]);
  assert.equal(ca.code, 1012);
  assert.equal(cb.code, 1012);
  const exit = await own.waitExit(DRAIN_MS + 2000);
  assert.ok(exit, "server did not exit within the drain timeout");
  assert.ok(exit.at - sent <= DRAIN_MS + 1500, `exit ${exit.at - sent} ms after SIGTERM`);
  assert.notEqual(exit.signal, "SIGKILL");
});

test("60 a drain lets a reply being prepared go out before the 1012 close", async (t) => {
  // "slow" replies after `ms`: SIGTERM arrives while it runs. Its socket stops reading and
  // closes once the reply is out; an idle joined socket is closed at once.
  const DRAIN_MS = 4000;
  const own = await startServer({ args: ["--drain-timeout-ms", String(DRAIN_MS)] });
  t.cleanup(() => own.stop(1000));
  const busy = await openRaw(t, own);
  const idle = await openRaw(t, own);
  await busy.join("room:busy60", {}, "1");
  await idle.join("room:idle60", {}, "1");
  busy.send(["1", "2", "room:busy60", "slow", { ms: 700 }]);
  await busy.heartbeat();  // answered only after "slow" was read: the push is in flight
  const sent = Date.now();
  own.signal("SIGTERM");
  // Sent after the drain began: never read, so never answered.
  busy.send(["1", "3", "room:busy60", "echo", { late: true }]);
  assert.equal((await idle.closed(DRAIN_MS)).code, 1012);
  const idleClosedAt = Date.now();
  await busy.expect(["1", "2", "room:busy60", "phx_reply", OK()]);
  const busyClose = await busy.closed(DRAIN_MS);
  assert.equal(busyClose.code, 1012);
  assert.ok(Date.now() - sent >= 500, "the busy socket stayed open until its reply");
  assert.ok(idleClosedAt - sent < 500, `the idle socket was closed at once (${idleClosedAt - sent} ms)`);
  const exit = await own.waitExit(DRAIN_MS + 2000);
  assert.ok(exit, "server did not exit within the drain timeout");
  assert.equal(exit.code, 0);
});

test("60 a drain in the middle of a broadcast flood ends with exit status 0", { timeout: 90000 }, async (t) => {
  // SIGTERM while a fan-out is in full flow: connections with frames queued for the end
  // of the loop turn, subscribers that stopped reading (writes waiting for writability),
  // broadcasts still in the loops' mailboxes. The process must drain and exit 0, not
  // crash while it tears down what the stopped loops still hold.
  const ROUNDS = 3;
  const SUBSCRIBERS = 16;
  const payload = { text: "x".repeat(256) };
  for (let round = 0; round < ROUNDS; round++) {
    const own = await startServer({
      args: ["--loops", "3", "--drain-timeout-ms", "1000", "--max-messages-per-second", "0"],
    });
    t.cleanup(() => own.stop(1000));
    const topic = `room:flood${round}`;
    const subscribers = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const s = await openRaw(t, own);
      await s.join(topic, {}, "1");
      s.ws.removeAllListeners("message"); // read and drop: the test keeps no frames
      subscribers.push(s);
    }
    // Half of them stop reading: the server's writes to them back up.
    for (const s of subscribers.slice(0, SUBSCRIBERS / 2)) s.ws._socket.pause();
    const publisher = await openRaw(t, own);
    await publisher.join(topic, {}, "1");
    publisher.ws.removeAllListeners("message");
    let sent = 0;
    let flooding = true;
    const flood = (async () => {
      // Bounded: stops at SIGTERM's close, or after 100k messages at the latest.
      while (flooding && publisher.isOpen && sent < 100000) {
        for (let k = 0; k < 20; k++) publisher.send(["1", String(++sent), topic, "shout", payload]);
        await sleep(1);
      }
    })();
    await sleep(400 + 200 * round); // different points of the flow in each round
    own.signal("SIGTERM");
    const exit = await own.waitExit(15000);
    flooding = false;
    await flood;
    assert.ok(exit, `round ${round}: the server did not exit within 15 s of SIGTERM`);
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null },
      `round ${round}: exit after SIGTERM with ${sent} messages published\n${own.output.split("\n").slice(-40).join("\n")}`);
  }
});
