// Role: builds the challenge room's CodeMirror editor: the usual editing features, the
// challenge's language mode, @codemirror/collab starting at the server's version, and
// the remote-cursor decorations. Main thread; the caller owns (and destroys) the view.
import { collab } from "@codemirror/collab";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { remoteCursors } from "./remote_cursors.js";

export function languageExtension(language) {
  switch (String(language ?? "").toLowerCase()) {
    case "javascript":
    case "js":
      return javascript();
    case "typescript":
    case "ts":
      return javascript({ typescript: true });
    case "python":
    case "py":
      return python();
    default:
      return [];
  }
}

// onUpdate(update) is called for every ViewUpdate (document, selection, focus).
export function createEditor({ parent, doc, version, language, onUpdate }) {
  const state = EditorState.create({
    doc,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": "Response (shared code)" }),
      languageExtension(language),
      collab({ startVersion: version }),
      remoteCursors(),
      EditorView.updateListener.of(onUpdate),
    ],
  });
  return new EditorView({ state, parent });
}
