// CollabPeer: one simulated editor of a Pair challenge, running @codemirror/collab's
// client logic (collab(), sendableUpdates, receiveUpdates, getSyncedVersion) over the
// real phoenix client, the way Pair's web page does:
//  - join `challenges:<id>` → build the editor state from {response, version};
//  - `collab:updates` {version: from, updates}: apply what is new (drop duplicates
//    below our synced version; on a gap, pull the missing range instead);
//  - one `collab:push` in flight at a time; our own updates are confirmed only when
//    they come back through the stream; `stale` → pull, then push again;
//  - on every rejoin (after a reconnect) pull from our synced version and push again.
// Used by the collab_*.test.mjs files and by bench/pair/typists.mjs.
import { EditorState, ChangeSet } from "@codemirror/state";
import { collab, receiveUpdates, sendableUpdates, getSyncedVersion, getClientID } from "@codemirror/collab";

export class CollabPeer {
  /**
   * socket: a phoenix Socket (connected or connecting); id: the challenge id.
   * options: pushTimeoutMs (default 3000); onUpdates(fromVersion, updates, peer), called
   * for every stream message, and onPush(updates, peer), called as a push leaves (the
   * bench times deliveries with them).
   */
  constructor(socket, id, options = {}) {
    this.socket = socket;
    this.id = id;
    this.options = options;
    this.state = null;
    this.channel = null;
    this.pushing = false;
    this.pulling = false;
    this.acked = [];           // the update lists of every push the server acknowledged
    this.errors = [];          // anything unexpected, for the test to assert on
    this.joins = 0;
    this.stale = 0;            // pushes refused as stale (someone else got there first)
    this.retryTimer = null;
    this.closed = false;
  }

  get doc() { return this.state.doc.toString(); }
  get version() { return getSyncedVersion(this.state); }
  get clientID() { return getClientID(this.state); }
  get pending() { return sendableUpdates(this.state).length; }

  /** Joins; resolves after the first join reply. Rejoins keep the editor state. */
  join() {
    this.channel = this.socket.channel(`challenges:${this.id}`, {});
    this.channel.on("collab:updates", (msg) => {
      if (this.options.onUpdates) this.options.onUpdates(msg.version, msg.updates, this);
      this.receive(msg.version, msg.updates);
    });
    return new Promise((resolve, reject) => {
      this.channel.join(10000)
        .receive("ok", (reply) => {
          this.joins += 1;
          const { response, version } = reply.challenge;
          if (!this.state) {
            this.state = EditorState.create({ doc: response, extensions: [collab({ startVersion: version })] });
            resolve(this);
          } else {
            // Back after a reconnect: the server must not have gone back in time.
            if (version < this.version) this.errors.push(`server at version ${version} after a rejoin, we had ${this.version}`);
            this.pull();
          }
          this.flush();
        })
        .receive("error", (reply) => reject(new Error(`join refused: ${JSON.stringify(reply)}`)))
        .receive("timeout", () => { if (!this.state) reject(new Error("join timed out")); });
    });
  }

  /** A local edit (one transaction = one update), pushed at once if nothing is in flight. */
  edit(changes) {
    this.state = this.state.update({ changes }).state;
    this.flush();
  }

  // tutorial:begin client-receive
  receive(from, updates) {
    const synced = this.version;
    if (from > synced) { this.pull(); return; }  // a gap: fetch it rather than guess
    const fresh = updates.slice(synced - from);
    if (fresh.length === 0) return;
    try {
      this.state = this.state.update(receiveUpdates(this.state, fresh.map((u) => ({
        clientID: u.clientID, changes: ChangeSet.fromJSON(u.changes),
      })))).state;
    } catch (e) {
      this.errors.push(`receiveUpdates failed at version ${synced}: ${e.message}`);
      return;
    }
    this.flush();
  }
  // tutorial:end client-receive

  pull() {
    if (this.pulling || this.closed) return;
    this.pulling = true;
    const from = this.version;
    this.channel.push("collab:pull", { version: from }, this.options.pushTimeoutMs ?? 3000)
      .receive("ok", (reply) => { this.pulling = false; this.receive(reply.version, reply.updates); })
      .receive("error", (reply) => { this.pulling = false; this.errors.push(`pull refused: ${JSON.stringify(reply)}`); })
      .receive("timeout", () => { this.pulling = false; });
  }

  // tutorial:begin client-flush
  flush() {
    if (this.pushing || this.closed || !this.channel || this.channel.state !== "joined") return;
    const updates = sendableUpdates(this.state);
    if (updates.length === 0) return;
    this.pushing = true;
    const version = this.version;
    const sent = updates.map((u) => ({ clientID: u.clientID, changes: u.changes.toJSON() }));
    if (this.options.onPush) this.options.onPush(sent, this);
    this.channel.push("collab:push", { version, updates: sent }, this.options.pushTimeoutMs ?? 3000)
      .receive("ok", (reply) => {
        this.pushing = false;
        this.acked.push(sent);
        if (reply.version !== version + sent.length) this.errors.push(`push at ${version} of ${sent.length} acked as ${reply.version}`);
        // Confirmation comes through the stream; push again only if it does not.
        this.later(300);
      })
      .receive("error", (reply) => {
        this.pushing = false;
        if (reply.reason === "stale") { this.stale += 1; this.pull(); }
        else this.errors.push(`push refused: ${JSON.stringify(reply)}`);
        this.later(100);
      })
      .receive("timeout", () => { this.pushing = false; this.later(100); });
  }
  // tutorial:end client-flush

  later(ms) {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.pending > 0) { this.pull(); this.flush(); }
    }, ms);
  }

  leave() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (this.channel) this.channel.leave();
  }
}

/** Code-point boundaries of `doc` (UTF-16 offsets that never split a surrogate pair). */
export function boundaries(doc) {
  const out = [0];
  let pos = 0;
  for (const ch of doc) { pos += ch.length; out.push(pos); }
  return out;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves once every peer has nothing unconfirmed and sits at `serverVersion()`; nudges stragglers. */
export async function converge(peers, serverVersion, ms = 20000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const target = await serverVersion();
    if (peers.every((p) => p.pending === 0 && !p.pushing && p.version === target)) return target;
    if (Date.now() > deadline) {
      const states = peers.map((p) => `v${p.version}/pending ${p.pending}/pushing ${p.pushing}`).join(", ");
      throw new Error(`peers did not converge on version ${target} within ${ms} ms: ${states}`);
    }
    for (const p of peers) { if (p.version < target) p.pull(); p.flush(); }
    await new Promise((r) => setTimeout(r, 100));
  }
}
