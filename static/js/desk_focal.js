// The picture form's focal point: click the picture where its subject is;
// the two focal fields take the point, and the card and thumbnail previews
// show the crops the renditions will have (the same box as
// images/renditions.py's crop_box: the largest box of that shape, centred on
// the point, slid to stay inside the picture).
function cropBox(width, height, aspectW, aspectH, x, y) {
  let boxW = width
  let boxH = Math.floor((width * aspectH) / aspectW)
  if (width * aspectH > height * aspectW) {
    boxW = Math.floor((height * aspectW) / aspectH)
    boxH = height
  }
  const left = Math.max(0, Math.min(Math.round(x * width - boxW / 2), width - boxW))
  const top = Math.max(0, Math.min(Math.round(y * height - boxH / 2), height - boxH))
  return { left, top, boxW, boxH }
}

function draw(picker, x, y) {
  const width = Number(picker.dataset.width)
  const height = Number(picker.dataset.height)
  const marker = picker.querySelector("[data-focal-marker]")
  marker.style.left = `${x * 100}%`
  marker.style.top = `${y * 100}%`
  for (const crop of picker.querySelectorAll("[data-crop]")) {
    const [aspectW, aspectH] = crop.dataset.crop.split(":").map(Number)
    const box = cropBox(width, height, aspectW, aspectH, x, y)
    const scale = crop.clientWidth / box.boxW
    crop.style.height = `${box.boxH * scale}px`
    crop.style.backgroundImage = `url("${crop.dataset.src}")`
    crop.style.backgroundSize = `${width * scale}px ${height * scale}px`
    crop.style.backgroundPosition = `${-box.left * scale}px ${-box.top * scale}px`
  }
}

window.addEventListener("load", () => {
  const picker = document.querySelector("[data-focal-picker]")
  const across = document.getElementById("id_focal_x")
  const down = document.getElementById("id_focal_y")
  if (!picker || !across || !down) return
  const area = picker.querySelector("[data-focal-area]")
  // The picture's shape, whether or not its file has loaded yet.
  area.style.aspectRatio = `${picker.dataset.width} / ${picker.dataset.height}`
  const current = () => [Number(across.value) || 0.5, Number(down.value) || 0.5]
  area.addEventListener("click", (event) => {
    const rect = area.getBoundingClientRect()
    const x = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width))
    const y = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height))
    across.value = x.toFixed(3)
    down.value = y.toFixed(3)
    for (const input of [across, down]) input.dispatchEvent(new Event("change", { bubbles: true }))
    draw(picker, x, y)
  })
  for (const input of [across, down]) {
    input.addEventListener("input", () => draw(picker, ...current()))
  }
  window.addEventListener("resize", () => draw(picker, ...current()))
  draw(picker, ...current())
})
