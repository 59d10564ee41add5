// Role: other participants' cursors and selections in the editor, as coloured
// decorations: a caret with the person's name at the head, a tinted mark over a
// non-empty selection. Positions come from Presence (meta.cursor = {anchor, head}, in
// the sender's document) and are then mapped through every later change, so a caret
// stays on its character while text is inserted before it; a new position from the
// sender replaces the mapped one. Main thread; state lives in the editor's StateField.
import { StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, WidgetType } from "@codemirror/view";

// Value: [{id, name, color, anchor, head}] — the full set of remote cursors now.
export const setRemoteCursors = StateEffect.define();

class CaretWidget extends WidgetType {
  constructor(name, color) {
    super();
    this.name = name;
    this.color = color;
  }
  eq(other) {
    return other.name === this.name && other.color === this.color;
  }
  toDOM() {
    const caret = document.createElement("span");
    caret.className = "cm-remote-caret";
    caret.style.borderLeftColor = this.color;
    const label = document.createElement("span");
    label.className = "cm-remote-label";
    label.style.backgroundColor = this.color;
    label.textContent = this.name;
    caret.append(label);
    return caret;
  }
  ignoreEvent() {
    return true;
  }
}

const clamp = (pos, len) => Math.max(0, Math.min(len, Math.trunc(Number(pos) || 0)));

function decorationsFor(cursors) {
  const ranges = [];
  for (const c of cursors.values()) {
    const from = Math.min(c.anchor, c.head);
    const to = Math.max(c.anchor, c.head);
    if (from < to) {
      ranges.push(
        Decoration.mark({
          class: "cm-remote-selection",
          attributes: { style: `background-color: ${c.color}33`, "data-user": c.name },
        }).range(from, to),
      );
    }
    ranges.push(Decoration.widget({ widget: new CaretWidget(c.name, c.color), side: 1 }).range(c.head));
  }
  return Decoration.set(ranges, true);
}

const cursorField = StateField.define({
  create: () => ({ cursors: new Map(), deco: Decoration.none }),
  update(value, tr) {
    let cursors = value.cursors;
    let changed = false;
    if (!tr.changes.empty) {
      cursors = new Map();
      for (const [id, c] of value.cursors) {
        cursors.set(id, { ...c, anchor: tr.changes.mapPos(c.anchor, 1), head: tr.changes.mapPos(c.head, 1) });
      }
      changed = true;
    }
    for (const effect of tr.effects) {
      if (!effect.is(setRemoteCursors)) continue;
      const len = tr.state.doc.length;
      const next = new Map();
      for (const c of effect.value) {
        const raw = `${c.anchor}:${c.head}`;
        const old = cursors.get(c.id);
        // Same position as last reported: keep ours, which was mapped through later edits.
        const keep = old && old.raw === raw;
        next.set(c.id, {
          name: c.name,
          color: c.color,
          raw,
          anchor: keep ? old.anchor : clamp(c.anchor, len),
          head: keep ? old.head : clamp(c.head, len),
        });
      }
      cursors = next;
      changed = true;
    }
    return changed ? { cursors, deco: decorationsFor(cursors) } : value;
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.deco),
});

export function remoteCursors() {
  return cursorField;
}
