// Role: tells the room where this user's cursor is: `cursor` {anchor, head} on the
// challenge channel (the server puts it in our Presence meta), throttled, and only
// while every local edit is confirmed, so the positions are exact at the version all
// peers share instead of counting text they have not received yet. Main thread.

// At most one cursor message per this interval: smooth enough to follow, cheap for a
// room (each becomes a presence_diff to everyone).
const THROTTLE_MS = 100;

export class CursorSender {
  constructor(channel, peer) {
    this.channel = channel;
    this.peer = peer;
    this.last = null; // "anchor:head" last sent
    this.timer = null;
    this.lastSentAt = 0;
    this.view = null;
  }

  attach(view) {
    this.view = view;
  }

  // After any selection or document change, after a sync and after a rejoin.
  poke(force = false) {
    if (force) this.last = null;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSentAt + THROTTLE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.send();
    }, wait);
  }

  send() {
    if (!this.view || !this.peer.isJoined) return;
    if (this.peer.hasUnconfirmed()) return; // poked again once the peer confirms
    const { anchor, head } = this.view.state.selection.main;
    const key = `${anchor}:${head}`;
    if (key === this.last) return;
    this.last = key;
    this.lastSentAt = Date.now();
    this.channel.push("cursor", { anchor, head });
  }

  destroy() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.view = null;
  }
}
