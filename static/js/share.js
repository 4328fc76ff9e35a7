// Share buttons without any third-party script: the system share sheet (which
// offers KakaoTalk on phones that have it) or the clipboard.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-share]")
  if (!button) return
  const status = button.closest(".share").querySelector(".share-status")
  const { url, title } = button.dataset
  if (button.dataset.share === "native" && navigator.share) {
    try {
      await navigator.share({ url, title })
      return
    } catch (error) {
      if (error.name === "AbortError") return
    }
  }
  try {
    await navigator.clipboard.writeText(url)
    status.textContent = button.dataset.done || button.dataset.fallback
  } catch {
    status.textContent = url
  }
})
