// The story form's feature-image picker: each search result shows the
// picture's thumbnail, words and size (the desk's autocomplete answers carry
// them), and the chosen picture shows under the field. Django's autocomplete
// script sets the field up first; this one sets it up again with pictures.
"use strict"
{
  // Django's jQuery, read once the page has loaded: the form's media may put
  // this script before Django's own.
  let $ = null

  function card(item) {
    const row = document.createElement("span")
    row.className = "picker-card"
    if (item.thumb) {
      const img = document.createElement("img")
      img.src = item.thumb
      img.alt = ""
      img.width = 48
      img.height = 48
      img.loading = "lazy"
      row.append(img)
    }
    const words = document.createElement("span")
    words.className = "picker-card-words"
    const title = document.createElement("span")
    title.className = "picker-card-title"
    title.textContent = item.alt || item.text
    words.append(title)
    for (const [value, name] of [[item.caption, "caption"], [item.facts, "facts"]]) {
      if (!value) continue
      const line = document.createElement("span")
      line.className = `picker-card-${name}`
      line.textContent = value
      words.append(line)
    }
    row.append(words)
    return row
  }

  function preview(select, item) {
    // Under the field's row (label, field and its buttons), not beside it.
    const wrapper = select.closest(".flex-container") || select
    let figure = wrapper.parentElement.querySelector(":scope > .feature-preview")
    if (!item || !item.id) {
      if (figure) figure.remove()
      return
    }
    if (!figure) {
      figure = document.createElement("figure")
      figure.className = "feature-preview"
      figure.setAttribute("aria-label", select.dataset.previewLabel || "")
      wrapper.after(figure)
    }
    figure.replaceChildren(card(item))
  }

  function cardUrl(select, id) {
    return select.dataset.cardUrl.replace("/0/", `/${encodeURIComponent(id)}/`)
  }

  async function showChosen(select) {
    const id = select.value
    if (!id) return preview(select, null)
    const chosen = $(select).select2("data")[0]
    if (chosen && chosen.texts) {
      preview(select, chosen)
      return showLibraryWords(chosen)
    }
    const response = await fetch(cardUrl(select, id), { credentials: "same-origin" })
    if (response.ok) {
      const item = { id, ...(await response.json()) }
      // Another picture was chosen while this one's card was on its way.
      if (select.value !== id) return
      preview(select, item)
      showLibraryWords(item)
    }
  }

  // The story's own words for its picture are empty until someone writes
  // them: the library's words show as their placeholders meanwhile.
  function showLibraryWords(item) {
    if (!item || !item.texts) return
    for (const [code, texts] of Object.entries(item.texts)) {
      for (const field of ["alt", "caption", "credit"]) {
        const input = document.querySelector(`[name="feature_image_${field}_${code}"]`)
        if (input) input.placeholder = texts[field] || ""
      }
    }
  }

  function chooserButton(select) {
    if (!window.newsroomChooser || !window.newsroomChooser.available()) return
    const button = document.createElement("button")
    button.type = "button"
    button.className = "button chooser-open"
    button.textContent = window.gettext ? window.gettext("Choose from the library") : "Choose from the library"
    button.addEventListener("click", async () => {
      const item = await window.newsroomChooser.open()
      if (!item) return
      if (!select.querySelector(`option[value="${CSS.escape(item.id)}"]`)) {
        select.append(new Option(item.alt, item.id, true, true))
      }
      $(select).val(item.id).trigger("change")
      preview(select, item)
      showLibraryWords(item)
      button.focus()
    })
    const wrapper = select.closest(".flex-container") || select
    wrapper.append(button)
  }

  function dress(select) {
    $(select).select2("destroy")
    $(select).select2({
      ajax: {
        data: (params) => ({
          term: params.term,
          page: params.page,
          app_label: select.dataset.appLabel,
          model_name: select.dataset.modelName,
          field_name: select.dataset.fieldName,
        }),
      },
      templateResult: (item) => (item.loading || !item.id ? item.text : card(item)),
      templateSelection: (item) => item.alt || item.text,
    })
    $(select).on("change", () => showChosen(select))
    showChosen(select)
  }

  // Once the document is parsed, after every handler of that moment (Django's
  // autocomplete sets the field up in one): set it up again with pictures.
  document.addEventListener("DOMContentLoaded", () =>
    setTimeout(() => {
      $ = window.django && window.django.jQuery
      if (!$ || !$.fn.select2) return
      for (const select of document.querySelectorAll("select.admin-autocomplete[data-card-url]")) {
        dress(select)
        chooserButton(select)
        select.dataset.dressed = "1"
      }
    }),
  )
}
