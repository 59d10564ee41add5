// Role: CollabPeer keeps one editor in sync with a challenge's update log over the
// `challenges:<id>` channel, following @codemirror/collab's authority model:
//   - local edits go out as `collab:push` {version, updates} (one push in flight);
//   - everyone's accepted updates come back as `collab:updates` {version: first, updates}
//     (ours too: that is how ours get confirmed) and are applied in version order;
//   - a gap, a `stale` refusal or a rejoin after a reconnect is closed with
//     `collab:pull` {version}, then the unconfirmed edits are pushed again, rebased by
//     receiveUpdates onto what the server accepted meanwhile.
// Updates are buffered by version, so duplicates (a pull overlapping a broadcast) and
// out-of-order arrivals are harmless. Main thread; owns no DOM.
import { getSyncedVersion, receiveUpdates, sendableUpdates } from "@codemirror/collab";
import { ChangeSet } from "@codemirror/state";

// How long to wait for our accepted push to come back in the stream before pulling:
// the broadcast normally follows the reply within milliseconds.
const CONFIRM_WAIT_MS = 1500;
// Back-off after a failed or timed-out push or pull.
const RETRY_MS = 500;

export class CollabPeer {
  // onDesync(reason): the editor can no longer be reconciled with the server (the server
  // refused an update as invalid, or knows fewer versions than we do); the owner
  // rebuilds the editor from the server's text.
  constructor(channel, { onDesync, onSynced } = {}) {
    this.channel = channel;
    this.onDesync = onDesync ?? (() => {});
    this.onSynced = onSynced ?? (() => {});
    this.view = null;
    this.isJoined = false;
    this.received = new Map(); // version → {clientID, changes} (JSON), not yet applied
    this.pushing = 0; // id of the push in flight, 0 = none
    this.pushIds = 0;
    this.pushQueued = false;
    this.pulling = false;
    this.awaitVersion = 0; // our last accepted push ends at this version
    this.timers = new Set();
    this.confirmTimer = null;
    this.destroyed = false;
    this.refs = [
      ["collab:updates", channel.on("collab:updates", (msg) => this.receive(msg.version, msg.updates))],
      ["response:updated", channel.on("response:updated", (msg) => this.noteVersion(msg?.challenge?.version))],
    ];
  }

  attach(view) {
    this.view = view;
  }

  syncedVersion() {
    return getSyncedVersion(this.view.state);
  }

  hasUnconfirmed() {
    return this.view !== null && sendableUpdates(this.view.state).length > 0;
  }

  // On every successful join (the first and each rejoin after a reconnect), with the
  // challenge of the join reply.
  joined(challenge) {
    this.isJoined = true;
    this.pushing = 0;
    this.pulling = false;
    const synced = this.syncedVersion();
    this.awaitVersion = Math.min(this.awaitVersion, challenge.version);
    if (challenge.version < synced) {
      this.onDesync("the server has fewer versions than this editor");
      return;
    }
    if (challenge.version > synced) this.pull();
    else this.schedulePush(0);
  }

  left() {
    this.isJoined = false;
    this.pulling = false;
    this.pushing = 0;
  }

  // A version the server reached (e.g. from `response:updated`): fetch what we lack.
  noteVersion(version) {
    if (typeof version === "number" && this.view && version > this.syncedVersion()) this.pull();
  }

  receive(from, updates) {
    if (!this.view || typeof from !== "number" || !Array.isArray(updates)) return;
    const synced = this.syncedVersion();
    updates.forEach((u, i) => {
      const v = from + i;
      if (v >= synced && !this.received.has(v)) this.received.set(v, u);
    });
    this.applyReceived();
  }

  applyReceived() {
    let v = this.syncedVersion();
    const run = [];
    while (this.received.has(v)) {
      run.push(this.received.get(v));
      this.received.delete(v);
      v++;
    }
    for (const k of this.received.keys()) if (k < v) this.received.delete(k);
    if (run.length > 0) {
      let tr;
      try {
        const updates = run.map((u) => ({ clientID: String(u.clientID), changes: ChangeSet.fromJSON(u.changes) }));
        tr = receiveUpdates(this.view.state, updates);
      } catch (err) {
        this.onDesync(`cannot apply the server's updates: ${err.message}`);
        return;
      }
      this.view.dispatch(tr);
      this.onSynced(this.syncedVersion());
    }
    if (this.received.size > 0) this.pull(); // a gap before what we hold
    if (this.syncedVersion() >= this.awaitVersion) this.clearConfirmTimer();
    this.schedulePush(0);
  }

  pull() {
    if (this.pulling || !this.isJoined || this.destroyed) return;
    this.pulling = true;
    const version = this.syncedVersion();
    this.channel
      .push("collab:pull", { version }, 10000)
      .receive("ok", (reply) => {
        this.pulling = false;
        // The updates after `version`, oldest first: they start at `version`.
        this.receive(version, reply?.updates ?? []);
        this.schedulePush(0);
      })
      .receive("error", (err) => {
        if (err?.reason === "desync") {
          this.pulling = false;
          this.onDesync("the server has fewer versions than this editor");
        } else {
          this.retryPull();
        }
      })
      .receive("timeout", () => this.retryPull());
  }

  retryPull() {
    this.pulling = false;
    this.later(() => this.pull(), RETRY_MS);
  }

  // Called after every local change; pushes at most one batch at a time.
  schedulePush(delay) {
    if (this.pushQueued) return;
    this.pushQueued = true;
    this.later(() => {
      this.pushQueued = false;
      this.push();
    }, delay);
  }

  push() {
    if (!this.view || !this.isJoined || this.pushing || this.pulling || this.destroyed) return;
    const synced = this.syncedVersion();
    // Our previous batch was accepted but has not come back through the stream yet:
    // pushing now would only be refused as stale.
    if (synced < this.awaitVersion) return;
    const updates = sendableUpdates(this.view.state);
    if (updates.length === 0) return;
    const id = ++this.pushIds;
    this.pushing = id;
    const payload = {
      version: synced,
      updates: updates.map((u) => ({ clientID: u.clientID, changes: u.changes.toJSON() })),
    };
    this.channel
      .push("collab:push", payload, 10000)
      .receive("ok", (reply) => {
        if (this.pushing !== id) return;
        this.pushing = 0;
        this.awaitVersion = Math.max(this.awaitVersion, reply?.version ?? 0);
        if (this.syncedVersion() < this.awaitVersion) this.armConfirmTimer();
        else this.schedulePush(0);
      })
      .receive("error", (err) => {
        if (this.pushing !== id) return;
        this.pushing = 0;
        if (err?.reason === "stale") {
          // Others were accepted first: fetch them, receiveUpdates rebases ours, push again.
          if ((err.version ?? 0) > this.syncedVersion()) this.pull();
          else this.schedulePush(RETRY_MS / 5);
        } else if (err?.reason === "invalid" || err?.reason === "desync" || err?.reason === "too_large") {
          // Retrying cannot help: the server refused these edits for good, or knows
          // fewer versions than we based them on.
          this.onDesync(`the server refused the edit (${err.reason})`);
        } else {
          this.schedulePush(RETRY_MS);
        }
      })
      .receive("timeout", () => {
        if (this.pushing !== id) return;
        this.pushing = 0;
        this.schedulePush(RETRY_MS);
      });
  }

  armConfirmTimer() {
    this.clearConfirmTimer();
    this.confirmTimer = setTimeout(() => {
      this.confirmTimer = null;
      if (this.syncedVersion() < this.awaitVersion) this.pull();
    }, CONFIRM_WAIT_MS);
  }

  clearConfirmTimer() {
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.confirmTimer = null;
  }

  later(fn, ms) {
    if (this.destroyed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.destroyed) fn();
    }, ms);
    this.timers.add(t);
  }

  destroy() {
    this.destroyed = true;
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    this.clearConfirmTimer();
    for (const [event, ref] of this.refs) this.channel.off(event, ref);
  }
}
