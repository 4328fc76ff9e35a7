// The consent banner. The server sets no cookie for readers; this script sets
// one only after "Accept". "Reject" is remembered in localStorage (no cookie).
(() => {
  const banner = document.getElementById("consent")
  if (!banner) return
  const KEY = "newsroom-consent"
  const stored = () => {
    try {
      return localStorage.getItem(KEY)
    } catch {
      return null
    }
  }
  if (stored() || document.cookie.includes(`${KEY}=accepted`)) return
  banner.hidden = false
  banner.addEventListener("click", (event) => {
    const choice = event.target.closest("[data-consent]")?.dataset.consent
    if (!choice) return
    try {
      localStorage.setItem(KEY, choice)
    } catch {
      // Private mode without storage: the banner comes back next time.
    }
    if (choice === "accepted") {
      const secure = location.protocol === "https:" ? "; Secure" : ""
      document.cookie = `${KEY}=accepted; Max-Age=31536000; Path=/; SameSite=Lax${secure}`
    }
    banner.hidden = true
  })
})()
