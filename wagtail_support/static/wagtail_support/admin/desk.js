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
