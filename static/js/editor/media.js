// Library pictures in the story body: a figure, or a gallery of figures.
//
// Stored as placeholders the reader site draws (reader/body.py):
//   <figure data-image="42" data-size="inset" data-alt="…">
//     <figcaption>caption<small>credit</small></figcaption></figure>
//   <div data-gallery="">…figures…</div>
// The words are this use's, in the language of the body being edited; they
// start as the library's words in that language.
import { Node, gettext, updateAttrsDialog } from "django-prose-editor/editor"

const LANGUAGES = ["ko", "ja", "en"]

function editorLanguage(editor) {
  const wrapper = editor.options.element.closest(".prose-editor")
  const field = wrapper && wrapper.parentElement.querySelector("textarea")
  const match = field && /_([a-z]{2})$/.exec(field.name)
  if (match && LANGUAGES.includes(match[1])) return match[1]
  return document.documentElement.lang.slice(0, 2)
}

const captionOf = (element) => {
  const caption = element.querySelector(":scope > figcaption")
  if (!caption) return ""
  return Array.from(caption.childNodes)
    .filter((child) => child.nodeName !== "SMALL")
    .map((child) => child.textContent)
    .join("")
    .trim()
}

const creditOf = (element) => {
  const credit = element.querySelector(":scope > figcaption > small")
  return credit ? credit.textContent.trim() : ""
}

const readFigure = (element) => ({
  image: element.dataset.image || "",
  size: element.dataset.size === "inset" ? "inset" : "full",
  alt: element.dataset.alt || "",
  caption: captionOf(element),
  credit: creditOf(element),
})

function figureSpec(item, withSize) {
  const attributes = { "data-image": item.image }
  if (withSize) attributes["data-size"] = item.size === "inset" ? "inset" : "full"
  if (item.alt) attributes["data-alt"] = item.alt
  const spec = ["figure", attributes]
  if (item.caption || item.credit) {
    const caption = ["figcaption"]
    if (item.caption) caption.push(item.caption)
    if (item.credit) caption.push(["small", item.credit])
    spec.push(caption)
  }
  return spec
}

// Thumbnails for the editor's view of a figure: asked once per picture.
// Undefined where the page has no card address (the translator's form),
// null for a picture that no longer exists.
const cards = new Map()
function card(id) {
  const source = document.querySelector("[data-card-url]")
  if (!source) return Promise.resolve(undefined)
  if (!id) return Promise.resolve(null)
  if (!cards.has(id)) {
    const url = source.dataset.cardUrl.replace("/0/", `/${encodeURIComponent(id)}/`)
    cards.set(
      id,
      fetch(url, { credentials: "same-origin" }).then((response) =>
        response.ok ? response.json() : null,
      ),
    )
  }
  return cards.get(id)
}

function figureView(item, className) {
  const figure = document.createElement("figure")
  figure.className = className
  const img = document.createElement("img")
  img.alt = item.alt
  img.width = 160
  img.height = 160
  figure.append(img)
  const words = document.createElement("figcaption")
  card(item.image).then((found) => {
    if (found) img.src = found.thumb
    else if (found === null) {
      figure.classList.add("desk-figure-missing")
      const note = document.createElement("strong")
      note.textContent = gettext("No longer in the library: readers will not see it.")
      words.prepend(note, " ")
    } else img.hidden = true
  })
  words.textContent = item.caption || item.alt || gettext("No caption")
  if (item.credit) {
    const credit = document.createElement("small")
    credit.textContent = item.credit
    words.append(" ", credit)
  }
  figure.append(words)
  return figure
}

const wordsDialog = (title, withSize, actions) =>
  updateAttrsDialog(
    {
      caption: { type: "string", format: "textarea", title: gettext("Caption") },
      credit: { type: "string", title: gettext("Credit") },
      alt: {
        type: "string",
        title: gettext("Alt text"),
        description: gettext("What the picture shows, for readers who cannot see it."),
      },
      ...(withSize ? { inset: { type: "boolean", title: gettext("Inset beside the text") } } : {}),
    },
    { title, submitText: gettext("Save"), actions },
  )

async function choose(editor) {
  if (!window.newsroomChooser || !window.newsroomChooser.available()) {
    window.alert(gettext("Pictures can be chosen in the story form."))
    return null
  }
  const chosen = await window.newsroomChooser.open()
  if (!chosen) return null
  const texts = (chosen.texts && chosen.texts[editorLanguage(editor)]) || {}
  return {
    image: chosen.id,
    size: "full",
    alt: texts.alt || "",
    caption: texts.caption || "",
    credit: texts.credit || "",
  }
}

export const Picture = Node.create({
  name: "libraryPicture",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      image: { default: "", rendered: false },
      size: { default: "full", rendered: false },
      alt: { default: "", rendered: false },
      caption: { default: "", rendered: false },
      credit: { default: "", rendered: false },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]", getAttrs: readFigure }]
  },

  renderHTML({ node }) {
    return figureSpec(node.attrs, true)
  },

  addNodeView() {
    return ({ node, editor }) => {
      const dom = figureView(node.attrs, `desk-figure desk-figure--${node.attrs.size}`)
      dom.addEventListener("dblclick", () => editor.commands.editPicture())
      return { dom }
    }
  },

  addCommands() {
    return {
      insertPicture:
        () =>
        ({ editor }) => {
          choose(editor).then(async (item) => {
            if (!item) return
            const attrs = await wordsDialog(gettext("Picture in the story"), true)(editor, item)
            if (!attrs) return
            editor
              .chain()
              .focus()
              .insertContent({
                type: this.name,
                attrs: { ...item, ...attrs, size: attrs.inset ? "inset" : "full" },
              })
              .run()
          })
          return true
        },
      editPicture:
        () =>
        ({ editor }) => {
          if (!editor.isActive(this.name)) return false
          const current = editor.getAttributes(this.name)
          wordsDialog(gettext("Picture in the story"), true)(editor, {
            ...current,
            inset: current.size === "inset",
          }).then((attrs) => {
            if (!attrs) return
            editor
              .chain()
              .focus()
              .updateAttributes(this.name, {
                caption: attrs.caption,
                credit: attrs.credit,
                alt: attrs.alt,
                size: attrs.inset ? "inset" : "full",
              })
              .run()
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "libraryPicture",
      groups: "nodes",
      button: buttons.material("image", gettext("Picture")),
      command(editor) {
        if (editor.isActive("libraryPicture")) editor.commands.editPicture()
        else editor.commands.insertPicture()
      },
      active: (editor) => editor.isActive("libraryPicture"),
    })
  },
})

export const Gallery = Node.create({
  name: "libraryGallery",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      items: {
        default: [],
        rendered: false,
        parseHTML: (element) =>
          Array.from(element.querySelectorAll(":scope > figure[data-image]")).map(readFigure),
      },
    }
  },

  parseHTML() {
    return [{ tag: "div[data-gallery]" }]
  },

  renderHTML({ node }) {
    return ["div", { "data-gallery": "" }, ...node.attrs.items.map((item) => figureSpec(item, false))]
  },

  addNodeView() {
    return ({ node, editor, getPos }) => {
      const dom = document.createElement("div")
      dom.className = "desk-gallery"
      const label = document.createElement("p")
      label.className = "desk-gallery-label"
      label.textContent = gettext("Gallery")
      dom.append(label)
      const list = document.createElement("ol")
      const setItems = (items) => {
        editor
          .chain()
          .setNodeSelection(getPos())
          .updateAttributes(this.name, { items })
          .run()
      }
      node.attrs.items.forEach((item, index) => {
        const entry = document.createElement("li")
        const edit = document.createElement("button")
        edit.type = "button"
        edit.className = "desk-gallery-item"
        edit.setAttribute("aria-label", `${gettext("Edit")}: ${item.caption || item.alt}`)
        edit.append(figureView(item, "desk-figure"))
        edit.addEventListener("click", async () => {
          const items = [...node.attrs.items]
          const close = (form) => form.closest("dialog").close()
          const actions = [
            {
              text: gettext("Remove from the gallery"),
              handler: (values, form) => {
                close(form)
                items.splice(index, 1)
                setItems(items)
              },
            },
          ]
          if (index > 0) {
            actions.unshift({
              text: gettext("Move earlier"),
              handler: (values, form) => {
                close(form)
                items.splice(index - 1, 0, items.splice(index, 1)[0])
                setItems(items)
              },
            })
          }
          const attrs = await wordsDialog(gettext("Picture in the gallery"), false, actions)(
            editor,
            item,
          )
          if (!attrs) return
          items[index] = { ...item, caption: attrs.caption, credit: attrs.credit, alt: attrs.alt }
          setItems(items)
        })
        entry.append(edit)
        list.append(entry)
      })
      dom.append(list)
      const add = document.createElement("button")
      add.type = "button"
      add.className = "button desk-gallery-add"
      add.textContent = gettext("Add a picture")
      add.addEventListener("click", async () => {
        const item = await choose(editor)
        if (item) setItems([...node.attrs.items, item])
      })
      dom.append(add)
      return {
        dom,
        // Its buttons are the gallery's own, not the editor's.
        stopEvent: (event) => Boolean(event.target.closest && event.target.closest("button")),
        ignoreMutation: () => true,
      }
    }
  },

  addCommands() {
    return {
      insertGallery:
        () =>
        ({ editor }) => {
          choose(editor).then((item) => {
            if (!item) return
            editor.chain().focus().insertContent({ type: this.name, attrs: { items: [item] } }).run()
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "libraryGallery",
      groups: "nodes",
      button: buttons.material("photo_library", gettext("Gallery")),
      command(editor) {
        editor.commands.insertGallery()
      },
      active: (editor) => editor.isActive("libraryGallery"),
    })
  },
})
