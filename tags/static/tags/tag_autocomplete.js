/* Suggest existing tags under a tag input: type a name in any language. */
"use strict";

(function () {
  const SEPARATORS = /[,、，､\n]/;
  const DELAY = 150;
  let counter = 0;

  function lastSeparator(text) {
    for (let index = text.length - 1; index >= 0; index -= 1) {
      if (SEPARATORS.test(text[index])) {
        return index;
      }
    }
    return -1;
  }

  function attach(input) {
    const url = input.dataset.tagAutocomplete;
    const listbox = document.createElement("ul");
    counter += 1;
    listbox.id = `tag-suggestions-${counter}`;
    listbox.className = "tag-suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    const wrapper = document.createElement("div");
    wrapper.className = "tag-autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.append(input, listbox);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-expanded", "false");

    let timer = null;
    let active = -1;
    let request = null;

    function options() {
      return Array.from(listbox.querySelectorAll('[role="option"]'));
    }

    function close() {
      listbox.hidden = true;
      listbox.replaceChildren();
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      const items = options();
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      items.forEach((item, position) => {
        item.setAttribute("aria-selected", position === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(name) {
      const text = input.value;
      const start = lastSeparator(text) + 1;
      // A space after an ASCII comma; the full-width separators carry their own.
      const before = text.slice(0, start) + (text[start - 1] === "," ? " " : "");
      const quoted = SEPARATORS.test(name) || name.startsWith('"') ? `"${name}"` : name;
      input.value = `${before}${quoted}, `;
      close();
      input.focus();
    }

    function show(results) {
      close();
      results.forEach((result, position) => {
        const item = document.createElement("li");
        item.id = `${listbox.id}-${position}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = result.name;
        const others = Object.values(result.names).filter(
          (name) => name && name !== result.name
        );
        if (others.length) {
          const hint = document.createElement("span");
          hint.className = "tag-suggestion-others";
          hint.textContent = others.join(" · ");
          item.append(" ", hint);
        }
        // mousedown, not click: the input must not lose focus first.
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(result.name);
        });
        listbox.append(item);
      });
      if (results.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function suggest() {
      const text = input.value;
      const fragment = text.slice(lastSeparator(text) + 1).trim().replace(/^"/, "");
      if (request) {
        request.abort();
      }
      if (!fragment) {
        close();
        return;
      }
      request = new AbortController();
      const query = new URLSearchParams({ term: fragment });
      fetch(`${url}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: request.signal,
      })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => show(data.results || []))
        .catch((error) => {
          if (error.name !== "AbortError") {
            close();
          }
        });
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY);
    });

    input.addEventListener("keydown", (event) => {
      // Keys pressed while a Korean or Japanese input method composes are its own.
      if (listbox.hidden || event.isComposing) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        // Choosing a tag must not submit the story form.
        event.preventDefault();
        options()[active].dispatchEvent(new MouseEvent("mousedown", { cancelable: true }));
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", close);
  }

  function init() {
    document.querySelectorAll("input[data-tag-autocomplete]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
