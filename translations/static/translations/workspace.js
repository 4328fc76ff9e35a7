// The workspace's close matches: "Use" puts the remembered translation in the
// segment's box, to be edited there.
"use strict"
document.addEventListener("click", (event) => {
  const button = event.target.closest(".match-use[data-for]")
  if (!button) return
  const box = document.getElementById(button.dataset.for)
  if (!box) return
  box.value = button.dataset.text
  box.focus()
})
