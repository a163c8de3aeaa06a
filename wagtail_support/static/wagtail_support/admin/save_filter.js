// The live search and the filter drawer change the list without reloading the page, and write
// their fields into the address. Two things follow:
// - the search form carries the built-in list, view and sort the page was opened with, or the
//   live results (and the address) would fall back to "All I may see";
// - "Save this view as a filter" reads the address when it is sent, not the query the page was
//   served with, which is stale once the agent has typed in the search.
const KEPT = ["list", "view", "ordering"];

document.addEventListener("DOMContentLoaded", () => {
  const search = document.querySelector("form[data-search-form]");
  if (!search) {
    return;
  }
  const opened = new URLSearchParams(window.location.search);
  for (const key of KEPT) {
    if (opened.has(key) && !search.elements.namedItem(key)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = key;
      input.value = opened.get(key);
      search.append(input);
    }
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("[data-ws-save-filter]");
  const field = form && form.querySelector("input[name=query]");
  if (field) {
    field.value = window.location.search.replace(/^\?/, "");
  }
});
