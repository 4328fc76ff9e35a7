// The picture grid's selection: Django's action script counts checkboxes in
// table rows only, so the grid keeps "N of M selected" right itself.
window.addEventListener("DOMContentLoaded", () => {
  const grid = document.querySelector(".image-grid")
  const counter = document.querySelector("#changelist-form .action-counter")
  if (!grid || !counter || typeof window.interpolate !== "function") return
  const boxes = grid.querySelectorAll("input.action-select")
  const count = () => {
    const selected = [...boxes].filter((box) => box.checked).length
    counter.textContent = interpolate(
      ngettext("%(sel)s of %(cnt)s selected", "%(sel)s of %(cnt)s selected", selected),
      { sel: selected, cnt: Number(counter.dataset.actionsIcnt) },
      true,
    )
    for (const box of boxes) box.closest(".image-card").classList.toggle("is-selected", box.checked)
  }
  grid.addEventListener("change", count)
  window.addEventListener("pageshow", count)
  count()
})
