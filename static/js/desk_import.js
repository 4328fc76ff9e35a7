// The archive upload page: the chosen file's name in the desk's language,
// where the browser's own file button would speak the browser's.
document.addEventListener("DOMContentLoaded", () => {
  const input = document.querySelector("[data-import-file]")
  const name = document.querySelector("[data-import-file-name]")
  if (!input || !name) return
  input.addEventListener("change", () => {
    if (input.files.length) name.textContent = input.files[0].name
  })
})
