// Embeds load their provider only when the reader asks: until a card's button
// is pressed, nothing is requested from YouTube, X and the others. The card
// (reader/includes/_embed.html) names the provider and says what loading means;
// the press is the reader's consent.

// The buttons need this script; without it the card's link is the way.
for (const button of document.querySelectorAll(".embed-load[data-embed-src]")) {
  button.hidden = false
}

document.addEventListener("click", (event) => {
  const button = event.target.closest(".embed-load[data-embed-src]")
  if (!button) return
  const frame = document.createElement("iframe")
  // Every attribute before the frame joins the page, where it starts loading.
  // Its size comes from the figure's class (the policy allows no inline style).
  frame.className = "embed-frame"
  frame.setAttribute("title", button.dataset.embedTitle)
  frame.setAttribute("loading", "lazy")
  frame.setAttribute("allow", "encrypted-media; picture-in-picture; fullscreen")
  frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin")
  frame.setAttribute(
    "sandbox",
    "allow-scripts allow-same-origin allow-popups allow-presentation",
  )
  frame.setAttribute("src", button.dataset.embedSrc)
  button.closest(".embed-card").replaceWith(frame)
  frame.focus()
})
