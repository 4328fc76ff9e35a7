// Keep what the person types into the story form every few seconds as their
// own working copy (articles/autosave.py), and offer it back when they open
// the story again after a crash or a closed tab. Saving the story drops it.
const LEFT_OUT = ["csrfmiddlewaretoken", "loaded_version"]

function storyForm() {
  return document.getElementById("article_form")
}

function autosaveBox() {
  return document.querySelector(".desk-autosave[data-autosave-url]")
}

function csrf() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]")
  return input ? input.value : ""
}

async function post(url, body) {
  body.set("csrfmiddlewaretoken", csrf())
  return fetch(url, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrf() },
  })
}

function setValues(form, name, values) {
  const elements = form.querySelectorAll(`[name="${CSS.escape(name)}"]`)
  for (const element of elements) {
    if (element.type === "checkbox" || element.type === "radio") {
      element.checked = values.includes(element.value)
    } else if (element.tagName === "SELECT" && element.multiple) {
      for (const option of element.options) option.selected = values.includes(option.value)
    } else if (element.type !== "file") {
      element.value = values[0] ?? ""
    }
    element.dispatchEvent(new Event("change", { bubbles: true }))
    // The body editor shows its textarea's text: tell it.
    const editor = element.closest(".prose-editor")
    const area = editor && editor.querySelector("[contenteditable]")
    if (area && area.editor) area.editor.commands.setContent(element.value, true)
  }
}

function restore(form, box) {
  const data = JSON.parse(document.getElementById("working-copy").textContent)
  for (const [name, values] of Object.entries(data)) setValues(form, name, values)
  box.querySelector(".desk-working-copy").remove()
  form.dataset.dirty = "1"
}

window.addEventListener("load", () => {
  const form = storyForm()
  const box = autosaveBox()
  if (!form || !box) return
  const url = box.dataset.autosaveUrl
  form.addEventListener("input", () => (form.dataset.dirty = "1"))
  form.addEventListener("change", () => (form.dataset.dirty = "1"))
  // Saving the form: nothing more to keep from this page.
  form.addEventListener("submit", () => (form.dataset.submitting = "1"))
  const restoreButton = box.querySelector("[data-restore]")
  if (restoreButton) restoreButton.addEventListener("click", () => restore(form, box))
  const discardButton = box.querySelector("[data-discard]")
  if (discardButton) {
    discardButton.addEventListener("click", async () => {
      const body = new FormData()
      body.set("_discard", "1")
      await post(url, body)
      box.querySelector(".desk-working-copy").remove()
    })
  }
  setInterval(async () => {
    if (form.dataset.dirty !== "1" || form.dataset.submitting === "1") return
    form.dataset.dirty = ""
    const body = new FormData(form)
    for (const name of LEFT_OUT) body.delete(name)
    try {
      const response = await post(url, body)
      if (!response.ok) form.dataset.dirty = "1"
    } catch {
      form.dataset.dirty = "1"
    }
  }, Number(box.dataset.interval || 5) * 1000)
})
