// Counts a read of this story for "most read": one anonymous POST to our own
// server after the page loads, so it counts even when the page came from a
// cache. No cookie, no identifier, nothing loaded from elsewhere.
(() => {
  const counter = document.querySelector("[data-read-url]")
  if (!counter) return
  const url = counter.dataset.readUrl
  const body = new URLSearchParams({ article: counter.dataset.article })
  const send = () => {
    if (navigator.sendBeacon && navigator.sendBeacon(url, body)) return
    fetch(url, { method: "POST", body, keepalive: true, credentials: "omit" }).catch(
      () => {},
    )
  }
  // A page prerendered for a link the reader may never follow is not a read
  // until it is shown.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true })
  } else {
    send()
  }
})()
