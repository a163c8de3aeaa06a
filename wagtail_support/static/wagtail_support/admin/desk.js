// Inserts the chosen canned answer into the action's message at the cursor (R-DK6).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-ws-insert-canned]");
  if (!button) return;
  event.preventDefault();
  const form = button.closest("form");
  const select = form.querySelector("[data-ws-canned-select]");
  const textarea = form.querySelector("textarea[name=message]");
  const answers = JSON.parse(document.getElementById("ws-canned-answers").textContent);
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
