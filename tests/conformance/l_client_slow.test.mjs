// Section L: behaviour with the official client, timing items (118-122, 124, 125).
// They use the client's default timings (these are what the server must live
// with) and run concurrently, so the file takes about as long as its slowest
// test (119: two default 30 s heartbeat intervals).
import assert from "node:assert/strict";
import { describe } from "node:test";
import { Socket } from "phoenix";
import { useServer, startServer, test, sleep } from "./harness.mjs";
import { recordingTransport, waitFor, frames, joinOk, opened, now } from "./client.mjs";

// Default fixture timings (60 s idle timeout, 10 s long-poll window).
const server = useServer();

function newSocket(t, endPoint, opts) {
  const socket = new Socket(endPoint, opts);
  t.cleanup(() => socket.disconnect());
  return socket;
}

const within = (value, expected, slack, what) => {
  assert.ok(value >= expected - slack.below && value <= expected + slack.above,
    `${what}: ${value.toFixed(0)} ms, expected about ${expected} ms`);
};

/** Asserts the client's rejoin schedule for a join that is always refused. */
async function assertRejoinSchedule(log, topic, expectReply) {
  const schedule = [1000, 2000, 5000, 10000];
  const joins = await waitFor(() => {
    const j = frames(log, "out", { topic, event: "phx_join" });
    return j.length >= schedule.length + 1 ? j : null;
  }, 25000, `${schedule.length + 1} joins of ${topic}`);
  const refs = joins.map((j) => j.frame[1]);
  assert.equal(new Set(refs).size, refs.length, `every retry uses a new ref: ${refs}`);
  for (let i = 0; i < refs.length - 1; i++) assert.ok(Number(refs[i + 1]) > Number(refs[i]), `refs increase: ${refs}`);
  for (let i = 0; i < schedule.length; i++) {
    const join = joins[i];
    assert.equal(join.frame[0], join.frame[1], "join_ref equals ref");
    const reply = log.find((e) => e.type === "in" && Array.isArray(e.frame) && e.frame[1] === join.frame[1]);
    assert.ok(reply, `no reply to join ${join.frame[1]}`);
    assert.deepEqual(reply.frame, expectReply(join.frame[1]));
    within(joins[i + 1].t - reply.t, schedule[i], { below: 20, above: 200 + schedule[i] * 0.05 }, `retry ${i + 1}`);
  }
}

describe("official client timings", { concurrency: true }, () => {
  test("118 reconnect backoff while the server is down", { timeout: 40000 }, async (t) => {
    const own = await startServer();
    t.cleanup(() => own.stop(1000));
    const log = [];
    const socket = newSocket(t, `${own.wsBase}/socket`, { transport: recordingTransport(log) });
    socket.connect();
    await opened(socket);
    own.signal("SIGKILL");
    const schedule = [10, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000, 5000];
    const attempts = await waitFor(() => {
      const c = log.filter((e) => e.type === "connect" && e.conn > 1);
      return c.length >= schedule.length ? c : null;
    }, 25000, `${schedule.length} reconnect attempts`);
    for (let i = 0; i < schedule.length; i++) {
      // time from the end of the previous connection to the next attempt
      const ended = log.find((e) => e.type === "close" && e.conn === attempts[i].conn - 1);
      assert.ok(ended, `connection ${attempts[i].conn - 1} never reported its close`);
      within(attempts[i].t - ended.t, schedule[i], { below: 3, above: 100 + schedule[i] * 0.05 }, `attempt ${i + 1}`);
    }
    assert.ok(!log.some((e) => e.type === "open" && e.conn > 1), "no attempt can succeed with the server down");
  });

  test("119 idle client heartbeats every 30 s", { timeout: 90000 }, async (t) => {
    const log = [];
    const socket = newSocket(t, `${server.wsBase}/socket`, { transport: recordingTransport(log) });
    socket.connect();
    const open = await waitFor(() => log.find((e) => e.type === "open"), 5000, "open");
    const beats = await waitFor(() => {
      const b = frames(log, "out", { topic: "phoenix", event: "heartbeat" });
      return b.length >= 2 ? b : null;
    }, 75000, "two heartbeats");
    let previous = open.t;
    for (const beat of beats.slice(0, 2)) {
      const ref = beat.frame[1];
      assert.deepEqual(beat.frame, [null, ref, "phoenix", "heartbeat", {}]);
      assert.equal(typeof ref, "string");
      within(beat.t - previous, 30000, { below: 50, above: 1000 }, "heartbeat interval");
      const reply = await waitFor(() => log.find((e) => e.type === "in" && Array.isArray(e.frame) && e.frame[1] === ref), 2000, `reply to heartbeat ${ref}`);
      assert.deepEqual(reply.frame, [null, ref, "phoenix", "phx_reply", { response: {}, status: "ok" }]);
      previous = reply.t;
    }
    assert.ok(!log.some((e) => e.type === "close"), "connection must stay open");
  });

  test("120 heartbeat timeout closes with 1000 and reconnects", { timeout: 30000 }, async (t) => {
    // The client's 30 s heartbeat interval (and reply timeout) is shortened to 500 ms.
    const own = await startServer();
    t.cleanup(() => own.stop(1000));
    const log = [];
    const socket = newSocket(t, `${own.wsBase}/socket`, { transport: recordingTransport(log), heartbeatIntervalMs: 500 });
    socket.connect();
    const ch = socket.channel("room:a120");
    await joinOk(ch);
    const oldJoinRef = ch.joinRef();
    const firstBeat = await waitFor(() => frames(log, "out", { event: "heartbeat" })[0], 3000, "first heartbeat");
    await waitFor(() => log.find((e) => e.type === "in" && e.frame?.[1] === firstBeat.frame[1]), 2000, "first heartbeat reply");
    own.signal("SIGSTOP");
    t.cleanup(() => own.signal("SIGCONT"));
    const closeCall = await waitFor(() => log.find((e) => e.type === "closeCall" && e.reason === "heartbeat timeout"), 3000, "heartbeat timeout close");
    assert.equal(closeCall.code, 1000);
    assert.equal(closeCall.conn, 1);
    const lastBeat = frames(log, "out", { event: "heartbeat" }).filter((e) => e.t < closeCall.t).at(-1);
    assert.ok(!log.some((e) => e.type === "in" && e.frame?.[1] === lastBeat.frame[1]), "the server was stopped: no reply");
    within(closeCall.t - lastBeat.t, 500, { below: 20, above: 400 }, "close after the unanswered heartbeat");
    const reconnect = await waitFor(() => log.find((e) => e.type === "connect" && e.conn === 2), 4000, "reconnect attempt");
    assert.ok(reconnect.t - closeCall.t < 2500, `reconnect attempt ${reconnect.t - closeCall.t} ms after the close`);
    own.signal("SIGCONT");
    await waitFor(() => log.find((e) => e.type === "open" && e.conn === 2), 5000, "second connection open");
    const rejoin = await waitFor(() => frames(log, "out", { topic: "room:a120", event: "phx_join" }).find((e) => e.conn === 2), 3000, "rejoin");
    assert.ok(Number(rejoin.frame[0]) > Number(oldJoinRef));
    await waitFor(() => ch.state === "joined" && ch.joinRef() === rejoin.frame[0], 3000, "channel joined again");
  });

  test("121 refused join retried after 1, 2, 5, then 10 s", { timeout: 40000 }, async (t) => {
    const log = [];
    const socket = newSocket(t, `${server.wsBase}/socket`, { transport: recordingTransport(log) });
    socket.connect();
    await opened(socket);
    socket.channel("room:c121", { deny: true }).join();
    await assertRejoinSchedule(log, "room:c121",
      (ref) => [ref, ref, "room:c121", "phx_reply", { response: { reason: "unauthorized" }, status: "error" }]);
  });

  test("122 unmatched topic join retried on the same schedule", { timeout: 40000 }, async (t) => {
    const log = [];
    const socket = newSocket(t, `${server.wsBase}/socket`, { transport: recordingTransport(log) });
    socket.connect();
    await opened(socket);
    socket.channel("nope:1").join();
    await assertRejoinSchedule(log, "nope:1",
      (ref) => [null, ref, "nope:1", "phx_reply", { response: { reason: "unmatched topic" }, status: "error" }]);
  });

  test("124 push timeout after 10 s; a later reply is ignored", { timeout: 30000 }, async (t) => {
    const log = [];
    const socket = newSocket(t, `${server.wsBase}/socket`, { transport: recordingTransport(log) });
    socket.connect();
    const a = socket.channel("room:a124");
    const b = socket.channel("room:b124");
    await joinOk(a);
    await joinOk(b);
    const events = [];
    const start = now();
    const noreply = a.push("noreply", {});
    noreply.receive("timeout", () => events.push(["noreply", "timeout", now() - start]))
      .receive("ok", () => events.push(["noreply", "ok", now() - start]));
    // replies 10.5 s later, after the client's 10 s timeout
    const slow = b.push("slow", { ms: 10500 });
    slow.receive("timeout", () => events.push(["slow", "timeout", now() - start]))
      .receive("ok", () => events.push(["slow", "ok", now() - start]));
    const slowRef = frames(log, "out", { event: "slow" })[0].frame[1];
    const noreplyRef = frames(log, "out", { event: "noreply" })[0].frame[1];
    const late = await waitFor(() => log.find((e) => e.type === "in" && e.frame?.[1] === slowRef), 14000, "late reply to slow");
    assert.deepEqual(late.frame, [b.joinRef(), slowRef, "room:b124", "phx_reply", { response: {}, status: "ok" }]);
    await sleep(200);
    assert.deepEqual(events.map(([name, status]) => [name, status]).sort(), [["noreply", "timeout"], ["slow", "timeout"]]);
    for (const [name, , at] of events) within(at, 10000, { below: 20, above: 500 }, `${name} timeout`);
    assert.ok(!log.some((e) => e.type === "in" && e.frame?.[1] === noreplyRef), "noreply must not be answered");
  });

  test("125 join timeout: leave with that join_ref, then a successful rejoin", { timeout: 40000 }, async (t) => {
    const log = [];
    const socket = newSocket(t, `${server.wsBase}/socket`, { transport: recordingTransport(log) });
    socket.connect();
    await opened(socket);
    let calls = 0;
    const ch = socket.channel("room:a125", () => (++calls === 1 ? { delay: 11000 } : {}));
    const results = [];
    ch.join().receive("timeout", () => results.push("timeout")).receive("ok", () => results.push("ok"));
    await waitFor(() => results.includes("ok"), 20000, "join to succeed");
    const out = log.filter((e) => e.type === "out" && e.frame?.[2] === "room:a125");
    assert.deepEqual(out.map((e) => e.frame[3]), ["phx_join", "phx_leave", "phx_join"]);
    const [join1, leave, join2] = out;
    assert.deepEqual(join1.frame[4], { delay: 11000 });
    assert.equal(leave.frame[0], join1.frame[0], "the leave carries the timed-out join_ref");
    within(leave.t - join1.t, 10000, { below: 20, above: 500 }, "join timeout");
    assert.deepEqual(join2.frame[4], {});
    assert.equal(join2.frame[0], join2.frame[1]);
    assert.ok(Number(join2.frame[0]) > Number(join1.frame[0]), "the retry uses a new ref");
    within(join2.t - leave.t, 1000, { below: 20, above: 500 }, "rejoin delay");
    assert.deepEqual(results, ["timeout", "ok"]);
    assert.equal(ch.state, "joined");
    assert.equal(ch.joinRef(), join2.frame[0]);
    const reply = log.find((e) => e.type === "in" && e.frame?.[1] === join2.frame[1]);
    assert.deepEqual(reply.frame, [join2.frame[0], join2.frame[0], "room:a125", "phx_reply", { response: {}, status: "ok" }]);
  });
});
