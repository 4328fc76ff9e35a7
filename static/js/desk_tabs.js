// modeltranslation's language tabs (jQuery UI) put a link inside each tab:
// a control inside a control, which screen readers announce twice and axe
// reports (nested-interactive). The tab itself already takes focus, arrow
// keys and clicks, so each link loses its address and its focus stop; jQuery
// UI is told those links point at panels of this page, as they did.
function tabsWidget() {
  const $ = (window.django && window.django.jQuery) || window.jQuery
  return $ && $.ui && $.ui.tabs
}

function patchTabs() {
  const tabs = tabsWidget()
  if (!tabs || tabs.prototype._newsroomPatched) return
  const isLocal = tabs.prototype._isLocal
  tabs.prototype._isLocal = function (anchor) {
    return anchor.hasAttribute("data-panel") || isLocal.call(this, anchor)
  }
  tabs.prototype._newsroomPatched = true
}

function unnestTabs() {
  patchTabs()
  for (const anchor of document.querySelectorAll(
    '[role="tab"] > a.ui-tabs-anchor[href^="#"]',
  )) {
    anchor.dataset.panel = anchor.getAttribute("href")
    anchor.removeAttribute("href")
    anchor.removeAttribute("tabindex")
  }
}

let queued = false
new MutationObserver(() => {
  if (queued) return
  queued = true
  requestAnimationFrame(() => {
    queued = false
    unnestTabs()
  })
}).observe(document.documentElement, { childList: true, subtree: true })
window.addEventListener("load", unnestTabs)
