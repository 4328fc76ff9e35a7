// The admin's language menu: switch as soon as a language is chosen.
document.addEventListener("change", (event) => {
  if (event.target.id === "admin-language") event.target.form.requestSubmit()
})
