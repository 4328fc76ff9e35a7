// Accessible names for controls that Django's admin, modeltranslation, its
// select2 autocompletes and the body editor draw without one: screen readers
// would announce "edit text" or "combo box" and nothing else. The widgets are
// drawn by other scripts at their own pace, so this runs again whenever the
// page changes; it only ever adds what is missing.
function labelOf(field) {
  const label = field && field.id && document.querySelector(`label[for="${field.id}"]`)
  return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : ""
}

function name(element, text) {
  if (element && text && !element.hasAttribute("aria-label")) {
    element.setAttribute("aria-label", text)
  }
}

function nameControls() {
  // modeltranslation's language menu beside the page title.
  const meta = document.querySelector('meta[name="newsroom-field-language-label"]')
  name(document.getElementById("modeltranslation-main-switch"), meta && meta.content)
  // The body editor's editable area takes the name of the field it edits.
  for (const editor of document.querySelectorAll(".prose-editor")) {
    name(
      editor.querySelector('[contenteditable="true"]'),
      labelOf(editor.querySelector("textarea[id]")),
    )
  }
  // An autocomplete's box takes the name of the select it stands for.
  for (const box of document.querySelectorAll(".select2-selection[role=combobox]")) {
    const container = box.closest(".select2-container")
    const select = container && container.previousElementSibling
    name(box, labelOf(select))
    name(box.querySelector(".select2-selection__rendered[role=textbox]"), labelOf(select))
  }
  // A date and time field's two boxes: the field's name and "Date"/"Time".
  for (const input of document.querySelectorAll(".datetime input")) {
    const row = input.closest(".form-row, .fieldBox")
    const field = row && row.querySelector("label")
    const part = input.previousSibling && input.previousSibling.textContent
    if (field && part) {
      name(input, `${field.textContent.replace(/[:：]\s*$/, "").trim()} ${part.replace(/[:：]\s*$/, "").trim()}`)
    }
  }
  // A tabular inline's inputs are named by their column's heading.
  for (const table of document.querySelectorAll(".tabular table")) {
    const headings = [...table.querySelectorAll("thead th")]
    for (const row of table.querySelectorAll("tbody tr")) {
      ;[...row.children].forEach((cell, index) => {
        const heading = headings[index] && headings[index].textContent.trim()
        for (const input of cell.querySelectorAll(
          "input:not([type=hidden]), select, textarea",
        )) {
          if (!input.labels || !input.labels.length) name(input, heading)
        }
        for (const box of cell.querySelectorAll(
          ".select2-selection[role=combobox], .select2-selection__rendered[role=textbox]",
        )) {
          name(box, heading)
        }
      })
    }
  }
}

// django-prose-editor writes its toolbar's titles and menu entries in English,
// outside any catalogue: put each in the desk's language (djangojs catalogue).
function editorWords() {
  if (typeof window.gettext !== "function") return {}
  return {
    paragraph: gettext("Paragraph"),
    Paragraph: gettext("Paragraph"),
    "Heading 2": gettext("Heading 2"),
    "Heading 3": gettext("Heading 3"),
    "unordered list": gettext("Bulleted list"),
    "ordered list": gettext("Numbered list"),
    blockquote: gettext("Quotation"),
    "horizontal rule": gettext("Dividing line"),
    bold: gettext("Bold"),
    italic: gettext("Italic"),
    "insert link": gettext("Add a link"),
    "remove link": gettext("Remove the link"),
    undo: gettext("Undo"),
    redo: gettext("Redo"),
  }
}

function translateEditor() {
  const words = editorWords()
  for (const button of document.querySelectorAll(".prose-menubar [title]")) {
    const word = words[button.getAttribute("title")]
    if (word) {
      button.setAttribute("title", word)
      button.setAttribute("aria-label", word)
    }
  }
  for (const option of document.querySelectorAll(".prose-menubar__option > *")) {
    const word = words[option.textContent]
    if (word) option.textContent = word
  }
}

let pending = false
new MutationObserver(() => {
  if (pending) return
  pending = true
  requestAnimationFrame(() => {
    pending = false
    nameControls()
    translateEditor()
  })
}).observe(document.documentElement, { childList: true, subtree: true })
document.addEventListener("DOMContentLoaded", nameControls)
window.addEventListener("load", () => {
  nameControls()
  translateEditor()
})
