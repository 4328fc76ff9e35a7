// The picture chooser: a dialog over the story form with the library's
// thumbnails, its search and an upload in place. `newsroomChooser.open()`
// resolves with the chosen picture's card (id, thumbnail, words in every
// language) or null. Used by the feature-image field and the body editor.
"use strict"
{
  const gettext = window.gettext || ((text) => text)

  function config() {
    const source = document.querySelector("[data-chooser-url]")
    return source
      ? {
          chooseUrl: source.dataset.chooserUrl,
          uploadUrl: source.dataset.uploadUrl,
          cardUrl: source.dataset.cardUrl,
        }
      : null
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]")
    return input ? input.value : ""
  }

  function el(tag, attributes = {}, children = []) {
    const node = document.createElement(tag)
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value
      else node.setAttribute(name, value)
    }
    node.append(...children)
    return node
  }

  function resultCard(item) {
    const words = el("span", { class: "chooser-words" }, [
      el("span", { class: "chooser-title", text: item.alt }),
    ])
    if (item.caption) words.append(el("span", { class: "chooser-caption", text: item.caption }))
    if (item.facts) words.append(el("span", { class: "chooser-facts", text: item.facts }))
    const button = el("button", { type: "button", class: "chooser-item", "data-id": item.id }, [
      el("img", { src: item.thumb, alt: "", width: "160", height: "160", loading: "lazy" }),
      words,
    ])
    return el("li", {}, [button])
  }

  function open() {
    const urls = config()
    if (!urls) return Promise.resolve(null)
    return new Promise((resolve) => {
      let page = 1
      let term = ""
      let chosen = null
      const items = new Map()

      const heading = el("h2", { id: "chooser-heading", text: gettext("Choose a picture") })
      const closeButton = el("button", { type: "button", class: "chooser-close", text: gettext("Cancel") })
      const search = el("input", {
        type: "search",
        id: "chooser-search",
        name: "q",
        autocomplete: "off",
      })
      const searchForm = el("form", { class: "chooser-search", role: "search" }, [
        el("label", { for: "chooser-search", text: gettext("Search alt text, caption or credit") }),
        el("span", { class: "chooser-row" }, [
          search,
          el("button", { type: "submit", class: "button", text: gettext("Search") }),
        ]),
      ])
      // The browser's own file button speaks the browser's language, not
      // the desk's: it is hidden and its label is the button.
      const file = el("input", {
        type: "file",
        id: "chooser-upload",
        class: "image-drop-input",
        accept: "image/*",
      })
      const uploadBox = el("div", { class: "chooser-upload" }, [
        file,
        el("label", { for: "chooser-upload", class: "button", text: gettext("Upload a new picture") }),
      ])
      const status = el("p", { class: "chooser-status", role: "status" })
      // A refused upload has its own line at the top: the library's answer,
      // which may come back after it, rewrites the status line, not this.
      const problem = el("p", { class: "chooser-status chooser-error", role: "alert" })
      const list = el("ul", { class: "chooser-results", "aria-labelledby": "chooser-heading" })
      const more = el("button", { type: "button", class: "button chooser-more", text: gettext("More pictures") })
      more.hidden = true
      const dialog = el("dialog", { class: "chooser", "aria-labelledby": "chooser-heading" }, [
        el("div", { class: "chooser-head" }, [heading, closeButton]),
        problem,
        searchForm,
        uploadBox,
        status,
        list,
        more,
      ])
      document.body.append(dialog)

      // Only the latest question's answer is shown: an opening page that
      // comes back after a search must not add its pictures to the matches.
      let asking = null

      async function load(reset) {
        if (reset) page = 1
        asking?.abort()
        const question = new AbortController()
        asking = question
        status.textContent = gettext("Loading…")
        const query = new URLSearchParams({ q: term, page: String(page) })
        let answer
        try {
          const response = await fetch(`${urls.chooseUrl}?${query}`, {
            credentials: "same-origin",
            signal: question.signal,
          })
          if (!response.ok) throw new Error(String(response.status))
          answer = await response.json()
        } catch (error) {
          if (question.signal.aborted) return
          status.textContent = gettext("The library could not be read. Try again.")
          return
        }
        if (asking !== question) return
        asking = null
        if (reset) {
          list.replaceChildren()
          items.clear()
        }
        for (const item of answer.results) {
          items.set(item.id, item)
          list.append(resultCard(item))
        }
        more.hidden = !answer.has_more
        status.textContent =
          items.size || !term ? "" : gettext("No picture matches. Try other words, or upload one.")
      }

      async function card(id) {
        const response = await fetch(urls.cardUrl.replace("/0/", `/${encodeURIComponent(id)}/`), {
          credentials: "same-origin",
        })
        return response.ok ? response.json() : null
      }

      async function upload() {
        if (!file.files.length) return
        const picked = file.files[0]
        problem.textContent = ""
        status.textContent = gettext("Uploading…")
        const body = new FormData()
        body.append("files", picked)
        body.append("csrfmiddlewaretoken", csrfToken())
        let result = null
        try {
          const response = await fetch(urls.uploadUrl, {
            method: "POST",
            body,
            credentials: "same-origin",
            headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
          })
          if (response.ok) result = (await response.json()).results[0]
        } catch (error) {
          // The network dropped: said below, like a refused answer.
        }
        if (!result || !result.id) {
          status.textContent = ""
          problem.textContent = result
            ? `${result.name}: ${result.message}`
            : gettext("The picture could not be uploaded. Try again.")
          file.value = ""
          return
        }
        const item = await card(result.id)
        if (item) finish(item)
      }

      function finish(item) {
        chosen = item
        dialog.close()
      }

      searchForm.addEventListener("submit", (event) => {
        event.preventDefault()
        term = search.value.trim()
        load(true)
      })
      more.addEventListener("click", () => {
        if (asking) return
        page += 1
        load(false)
      })
      list.addEventListener("click", (event) => {
        const button = event.target.closest(".chooser-item")
        if (button) finish(items.get(button.dataset.id))
      })
      file.addEventListener("change", upload)
      closeButton.addEventListener("click", () => dialog.close())
      dialog.addEventListener("close", () => {
        dialog.remove()
        resolve(chosen)
      })
      dialog.showModal()
      search.focus()
      load(true)
    })
  }

  window.newsroomChooser = { open, available: () => config() !== null }
}
