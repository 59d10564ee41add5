// Role: turns the challenge channel's Presence into what the room shows: the list of
// participants (colour dot, name, "typing…"), the typing line under the editor, and the
// remote cursors to draw. A user with several tabs is one participant (Presence key =
// user id) with one meta per tab. Main thread; pure apart from building DOM nodes.
import { h } from "../dom.js";

// Presence.list callback result → [{id, name, color, typing, metas}]
export function participantsFrom(presence) {
  return presence
    .list((id, { metas }) => {
      const first = metas[0] ?? {};
      return {
        id: String(id),
        name: String(first.first_name ?? "Someone"),
        color: String(first.color ?? "#868e96"),
        typing: metas.some((m) => m.typing === true),
        metas,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function renderParticipants(list, people, myId) {
  list.replaceChildren(
    ...people.map((p) =>
      h(
        "li",
        { class: `participant${p.typing ? " is-typing" : ""}`, "data-user-id": p.id },
        h("span", { class: "dot", style: { backgroundColor: p.color }, "aria-hidden": "true" }),
        h("span", { class: "name" }, p.name, p.id === String(myId) ? h("span", { class: "you" }, " (you)") : null),
        h("span", { class: "typing-badge", hidden: !p.typing }, "typing…"),
      ),
    ),
  );
}

export function typingText(people, myId) {
  const names = people.filter((p) => p.typing && p.id !== String(myId)).map((p) => p.name);
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

// Other users' cursors (our own tabs are left out: we see our own caret already).
export function remoteCursorList(people, myId) {
  const cursors = [];
  for (const p of people) {
    if (p.id === String(myId)) continue;
    p.metas.forEach((m, i) => {
      const c = m.cursor;
      if (!c || typeof c.anchor !== "number" || typeof c.head !== "number") return;
      // Not phx_ref: it changes with every meta update (typing on/off), and the id must
      // stay put so the field keeps a caret it has mapped through later edits.
      cursors.push({ id: `${p.id}/${i}`, name: p.name, color: p.color, anchor: c.anchor, head: c.head });
    });
  }
  return cursors;
}
