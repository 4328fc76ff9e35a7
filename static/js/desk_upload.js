// Upload several pictures at once: each file is sent on its own, with its
// progress, and its result (added, in the library already, refused, and why)
// shown by its name. Without this script the form sends all files together
// and the page lists the results.
function csrf(form) {
  return form.querySelector("input[name=csrfmiddlewaretoken]").value
}

function row(results, name) {
  const item = document.createElement("li")
  item.className = "image-upload-result is-waiting"
  const label = document.createElement("span")
  label.className = "image-upload-name"
  label.textContent = name
  const bar = document.createElement("progress")
  bar.max = 100
  bar.value = 0
  bar.setAttribute("aria-label", name)
  const message = document.createElement("span")
  message.className = "image-upload-message"
  message.textContent = gettext("Waiting…")
  item.append(label, bar, message)
  results.append(item)
  return { item, bar, message }
}

function show(entry, result) {
  entry.item.className = `image-upload-result is-${result.status}`
  entry.bar.remove()
  entry.message.textContent = ""
  if (result.url) {
    const link = document.createElement("a")
    link.href = result.url
    link.textContent = result.message
    entry.message.append(link)
  } else {
    entry.message.textContent = result.message
  }
}

function send(form, file, entry) {
  return new Promise((resolve) => {
    const body = new FormData()
    body.append("csrfmiddlewaretoken", csrf(form))
    body.append("files", file, file.name)
    const request = new XMLHttpRequest()
    request.open("POST", form.dataset.uploadUrl)
    request.setRequestHeader("Accept", "application/json")
    request.setRequestHeader("X-CSRFToken", csrf(form))
    entry.message.textContent = gettext("Uploading…")
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) entry.bar.value = (100 * event.loaded) / event.total
    })
    request.addEventListener("load", () => {
      try {
        if (request.status !== 200) throw new Error(String(request.status))
        show(entry, JSON.parse(request.responseText).results[0])
      } catch {
        show(entry, { status: "refused", message: gettext("Not uploaded: the server refused it. Try again.") })
      }
      resolve()
    })
    request.addEventListener("error", () => {
      show(entry, { status: "refused", message: gettext("Not uploaded: the connection failed. Try again.") })
      resolve()
    })
    request.send(body)
  })
}

async function uploadAll(form, files) {
  const results = form.parentElement.querySelector("[data-results]")
  const entries = [...files].map((file) => [file, row(results, file.name)])
  // One at a time: the server checks and re-encodes each in turn.
  for (const [file, entry] of entries) await send(form, file, entry)
}

window.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".image-upload-form")
  if (!form) return
  const input = form.querySelector("input[type=file]")
  const drop = form.querySelector("[data-drop]")
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    if (input.files.length) uploadAll(form, input.files).then(() => (input.value = ""))
  })
  input.addEventListener("change", () => form.requestSubmit())
  for (const name of ["dragenter", "dragover"]) {
    drop.addEventListener(name, (event) => {
      event.preventDefault()
      drop.classList.add("is-over")
    })
  }
  for (const name of ["dragleave", "drop"]) {
    drop.addEventListener(name, () => drop.classList.remove("is-over"))
  }
  drop.addEventListener("drop", (event) => {
    event.preventDefault()
    if (event.dataTransfer.files.length) uploadAll(form, event.dataTransfer.files)
  })
})
