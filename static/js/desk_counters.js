// Counts under a story's headline, dek and body, in the desk's language.
// Headlines longer than a share card holds and deks longer than a search
// result shows are marked; the body counts characters in Korean and Japanese
// (how their newsrooms measure a story) and words in English.
const LIMITS = {
  headline: { cjk: 40, en: 70 },
  dek: { cjk: 80, en: 160 },
}

function languageOf(id) {
  return id.slice(-2)
}

function characters(text) {
  return [...text.replace(/\s+/g, "")].length
}

function words(text) {
  const trimmed = text.trim()
  return trimmed ? trimmed.split(/\s+/).length : 0
}

function counterFor(element, key) {
  const id = `${key}-counter`
  let counter = document.getElementById(id)
  if (!counter) {
    counter = document.createElement("div")
    counter.id = id
    // Under the field, lined up with its help text.
    counter.className = "help desk-counter"
    ;(element.closest(".flex-container") || element).insertAdjacentElement(
      "afterend",
      counter,
    )
    const described = element.getAttribute("aria-describedby")
    element.setAttribute("aria-describedby", described ? `${described} ${id}` : id)
  }
  return counter
}

function showLimit(input) {
  const field = input.id.replace(/^id_/, "").slice(0, -3)
  const language = languageOf(input.id)
  const limit = LIMITS[field][language === "en" ? "en" : "cjk"]
  const count = [...input.value].length
  const counter = counterFor(input, input.id)
  const over = count > limit
  let text = interpolate(gettext("%(count)s of %(limit)s characters"), { count, limit }, true)
  if (over) {
    text += " · " + (field === "headline"
      ? gettext("longer headlines are cut on share cards")
      : gettext("longer ones are cut in search results"))
  }
  counter.textContent = text
  counter.classList.toggle("is-over", over)
}

function showBody(textarea, text) {
  const language = languageOf(textarea.id)
  const counter = counterFor(textarea.closest(".prose-editor") || textarea, textarea.id)
  if (language === "en") {
    const count = words(text)
    counter.textContent = interpolate(
      ngettext("%(count)s word", "%(count)s words", count), { count }, true)
  } else {
    const count = characters(text)
    counter.textContent = interpolate(
      ngettext("%(count)s character", "%(count)s characters", count), { count }, true)
  }
}

function htmlText(html) {
  return new DOMParser().parseFromString(html || "", "text/html").body.textContent || ""
}

function setUp() {
  if (typeof window.interpolate !== "function") return
  for (const input of document.querySelectorAll(
    "input[id^=id_headline_], textarea[id^=id_dek_]",
  )) {
    if (!/_(ko|ja|en)$/.test(input.id)) continue
    showLimit(input)
    input.addEventListener("input", () => showLimit(input))
  }
  for (const textarea of document.querySelectorAll("textarea[id^=id_body_]")) {
    if (!/_(ko|ja|en)$/.test(textarea.id)) continue
    showBody(textarea, htmlText(textarea.value))
  }
}

// The body editor is drawn after the page loads; its typing bubbles up here.
document.addEventListener("input", (event) => {
  const editor = event.target.closest && event.target.closest(".prose-editor")
  const textarea = editor && editor.querySelector("textarea[id^=id_body_]")
  if (textarea && typeof window.interpolate === "function") {
    showBody(textarea, event.target.closest("[contenteditable]").textContent)
  }
})
window.addEventListener("load", setUp)
