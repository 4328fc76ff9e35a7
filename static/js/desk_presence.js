// Tell the desk this story's form is open, every 30 seconds while it is, and
// show who else has it open (the notice above the form). Leaving the page
// says so at once. The version check still refuses an overwrite: this warns.
function presenceBox() {
  return document.querySelector(".desk-presence[data-presence-url]")
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]")
  return input ? input.value : ""
}

async function beat() {
  const box = presenceBox()
  if (!box || document.visibilityState === "hidden") return
  const body = new FormData()
  body.append("csrfmiddlewaretoken", csrfToken())
  try {
    const response = await fetch(box.dataset.presenceUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    })
    if (!response.ok) return
    const { others } = await response.json()
    box.replaceChildren(
      ...others.map((other) => {
        const line = document.createElement("p")
        line.textContent = other.text
        return line
      }),
    )
  } catch {
    // Offline for a moment: the next beat tries again.
  }
}

function leave() {
  const box = presenceBox()
  if (!box) return
  const body = new FormData()
  body.append("csrfmiddlewaretoken", csrfToken())
  body.append("leave", "1")
  navigator.sendBeacon(box.dataset.presenceUrl, body)
}

window.addEventListener("load", () => {
  const box = presenceBox()
  if (!box) return
  setInterval(beat, Number(box.dataset.heartbeat || 30) * 1000)
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") beat()
  })
  window.addEventListener("pagehide", leave)
})
