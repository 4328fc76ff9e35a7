// The workspace's translation memory: close matches of a segment are asked
// for when the translator reaches its box; "Use" puts one in the box.
"use strict"
{
  const workspace = document.querySelector(".workspace")

  function render(holder, matches) {
    if (!matches.length) return
    const list = document.createElement("ul")
    list.className = "segment-matches"
    list.setAttribute("aria-label", workspace.dataset.labelMatches)
    for (const match of matches) {
      const item = document.createElement("li")
      const percent = document.createElement("span")
      percent.className = "match-percent"
      percent.textContent = `${match.percent}%`
      const target = document.createElement("span")
      target.lang = workspace.dataset.targetLanguage
      target.textContent = match.target
      const use = document.createElement("button")
      use.type = "button"
      use.className = "button match-use"
      use.textContent = workspace.dataset.labelUse
      use.dataset.for = holder.dataset.for
      use.dataset.text = match.target
      const source = document.createElement("small")
      source.lang = workspace.dataset.sourceLanguage
      source.textContent = match.source
      item.append(percent, " ", target, " ", use, document.createElement("br"), source)
      list.append(item)
    }
    holder.replaceChildren(list)
  }

  async function load(holder) {
    if (holder.dataset.loaded) return
    holder.dataset.loaded = "1"
    const response = await fetch(holder.dataset.matches, { credentials: "same-origin" })
    if (response.ok) render(holder, (await response.json()).matches)
  }

  // The machine's suggestion for one segment: shown beside its box, put in
  // the box only when the translator chooses "Use".
  async function suggest(ask) {
    const holder = ask.parentElement.querySelector(".segment-suggestion")
    const form = ask.closest("form")
    const body = new URLSearchParams({
      suggest: ask.dataset.key,
      csrfmiddlewaretoken: form.querySelector("[name=csrfmiddlewaretoken]").value,
    })
    ask.disabled = true
    holder.textContent = workspace.dataset.labelAsking
    try {
      const response = await fetch(window.location.pathname, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      const answer = await response.json()
      holder.replaceChildren()
      if (!response.ok || answer.error) {
        const problem = document.createElement("p")
        problem.className = "errornote"
        problem.textContent = answer.error || ""
        holder.append(problem)
        return
      }
      const label = document.createElement("p")
      label.className = "segment-suggestion-label"
      label.textContent = workspace.dataset.labelMachine
      const text = document.createElement("span")
      text.lang = workspace.dataset.targetLanguage
      text.textContent = answer.suggestion
      const use = document.createElement("button")
      use.type = "button"
      use.className = "button match-use"
      use.textContent = workspace.dataset.labelUse
      use.dataset.for = ask.dataset.for
      use.dataset.text = answer.suggestion
      holder.append(label, text, " ", use)
    } catch (error) {
      holder.textContent = ""
    } finally {
      ask.disabled = false
    }
  }

  if (workspace) {
    workspace.addEventListener("focusin", (event) => {
      const segment = event.target.closest(".segment")
      const holder = segment && segment.querySelector(".segment-memory[data-matches]")
      if (holder) load(holder)
    })
    workspace.addEventListener("click", (event) => {
      const ask = event.target.closest(".segment-suggest")
      if (ask) {
        suggest(ask)
        return
      }
      const button = event.target.closest(".match-use[data-for]")
      if (!button) return
      const box = document.getElementById(button.dataset.for)
      if (!box) return
      box.value = button.dataset.text
      box.focus()
    })
  }
}
