// The newsroom's own editor extensions: highlighted text and ruby readings.
import { Mark, Node, gettext, updateAttrsDialog } from "django-prose-editor/editor"

const HIGHLIGHTER_ICON =
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">' +
  '<rect x="3" y="19" width="18" height="3" fill="#d4a800"/>' +
  '<path d="M14 3l6 6-8 8H6v-6z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>' +
  "</svg>"

// Highlighted text as a plain <mark>: no colours or styles to sanitise away.
export const Highlighted = Mark.create({
  name: "highlighted",

  parseHTML() {
    return [{ tag: "mark" }]
  },

  renderHTML() {
    return ["mark", 0]
  },

  addCommands() {
    return {
      toggleHighlighted:
        () =>
        ({ commands }) =>
          commands.toggleMark(this.name),
    }
  },

  addKeyboardShortcuts() {
    return { "Mod-Shift-h": () => this.editor.commands.toggleHighlighted() }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "highlighted",
      groups: "marks",
      button: buttons.svg(HIGHLIGHTER_ICON, gettext("Highlight")),
      command(editor) {
        editor.chain().focus().toggleHighlighted().run()
      },
      active: (editor) => editor.isActive("highlighted"),
    })
  },
})

// Ruby readings (furigana): <ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>.

const baseText = (element) =>
  Array.from(element.childNodes)
    .filter((child) => child.nodeName !== "RT" && child.nodeName !== "RP")
    .map((child) => child.textContent)
    .join("")

const readingText = (element) =>
  Array.from(element.querySelectorAll("rt"))
    .map((rt) => rt.textContent)
    .join("")

export const Ruby = Node.create({
  name: "ruby",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,

  addAttributes() {
    return {
      base: { default: "", parseHTML: baseText, rendered: false },
      reading: { default: "", parseHTML: readingText, rendered: false },
    }
  },

  parseHTML() {
    return [{ tag: "ruby" }]
  },

  renderHTML({ node }) {
    return [
      "ruby",
      node.attrs.base,
      ["rp", "("],
      ["rt", node.attrs.reading],
      ["rp", ")"],
    ]
  },

  addCommands() {
    return {
      editRuby:
        () =>
        ({ editor }) => {
          const { from, to, empty } = editor.state.selection
          const current = editor.isActive("ruby")
            ? editor.getAttributes("ruby")
            : { base: empty ? "" : editor.state.doc.textBetween(from, to), reading: "" }
          updateAttrsDialog(
            {
              base: { type: "string", title: gettext("Text") },
              reading: { type: "string", title: gettext("Reading") },
            },
            { title: gettext("Reading (ruby)") },
          )(editor, current).then((attrs) => {
            if (attrs?.base) {
              editor.chain().focus().insertContent({ type: this.name, attrs }).run()
            }
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "ruby",
      groups: "nodes",
      button: buttons.material("translate", gettext("Reading (ruby)")),
      command(editor) {
        editor.commands.editRuby()
      },
      active: (editor) => editor.isActive("ruby"),
    })
  },
})
