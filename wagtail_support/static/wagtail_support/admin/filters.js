// Drag and drop ordering of the saved-filter panel; the order is saved at once (R-DK1).
(() => {
  const list = document.querySelector("[data-ws-reorder-url]");
  if (!list) return;
  let dragged = null;
  list.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("[data-ws-filter-id]");
    event.dataTransfer.effectAllowed = "move";
  });
  list.addEventListener("dragover", (event) => {
    const over = event.target.closest("[data-ws-filter-id]");
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    const after = event.clientY > over.getBoundingClientRect().top + over.offsetHeight / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", (event) => event.preventDefault());
  list.addEventListener("dragend", () => {
    dragged = null;
    const ids = [...list.querySelectorAll("[data-ws-filter-id]")].map((li) => li.dataset.wsFilterId);
    const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(list.dataset.wsReorderUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(ids),
    });
  });
})();
