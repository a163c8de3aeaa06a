// Inserts the chosen canned answer into the action's message at the cursor (R-DK6).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-ws-insert-canned]");
  if (!button) return;
  event.preventDefault();
  const form = button.closest("form");
  const select = form.querySelector("[data-ws-canned-select]");
  const textarea = form.querySelector("textarea[name=message]");
  const answers = JSON.parse(form.querySelector(".ws-canned script[type='application/json']").textContent);
  const answer = answers.find((item) => String(item.id) === select.value);
  if (!answer || !textarea) return;
  const start = textarea.selectionStart ?? textarea.value.length;
  const end = textarea.selectionEnd ?? start;
  textarea.value = textarea.value.slice(0, start) + answer.text + textarea.value.slice(end);
  const caret = start + answer.text.length;
  textarea.focus();
  textarea.setSelectionRange(caret, caret);
});

// Tells the desk this agent is here (and answering once an action form is open); shows who else is.
(() => {
  const banner = document.querySelector("[data-ws-presence-url]");
  if (!banner) return;
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  const answering = () => [...document.querySelectorAll(".ws-actions details")].some((d) => d.open);
  const beat = () => {
    const body = new URLSearchParams({ activity: answering() ? "answering" : "viewing" });
    fetch(banner.dataset.wsPresenceUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token ? token.value : "" },
      body,
    })
      .then((response) => response.json())
      .then(({ others }) => {
        banner.textContent = others
          .map((o) => `${o.name} ${o.activity === "answering" ? banner.dataset.wsAnswering : banner.dataset.wsViewing}`)
          .join("; ");
        banner.hidden = others.length === 0;
      })
      .catch(() => {});
  };
  document.addEventListener("toggle", (event) => { if (event.target.matches(".ws-actions details")) beat(); }, true);
  setInterval(beat, 30000);
})();

// An action's form is fetched the first time its panel opens, so the page doesn't build every
// form on every view. Should the fetch fail, the panel keeps its link to the page with the form.
document.addEventListener(
  "toggle",
  (event) => {
    const panel = event.target;
    if (!panel.open || !panel.matches(".ws-actions details[data-ws-action-url]")) return;
    const slot = panel.querySelector("[data-ws-action-slot]");
    if (!slot || slot.dataset.loading) return;
    slot.dataset.loading = "1";
    fetch(panel.dataset.wsActionUrl, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        slot.outerHTML = html;
        const first = panel.querySelector("form textarea, form select, form input:not([type=hidden])");
        if (first) first.focus();
      })
      .catch(() => {
        delete slot.dataset.loading;
      });
  },
  true,
);

// Similar tickets search the whole desk, so they come after the page rather than delaying it.
(() => {
  const panel = document.querySelector("[data-ws-similar-url]");
  const slot = panel && panel.querySelector("[data-ws-similar-slot]");
  if (!slot) return;
  fetch(panel.dataset.wsSimilarUrl, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((html) => {
      panel.innerHTML = html;
    })
    .catch(() => {});
})();
