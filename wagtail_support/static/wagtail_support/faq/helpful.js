// "Was this helpful?" without leaving the page. Without this script the buttons post the form and
// the page comes back with the thanks in place.
document.addEventListener("submit", (event) => {
  const form = event.target.closest(".support-faq__helpful");
  if (!form) return;
  event.preventDefault();
  const body = new FormData(form);
  if (event.submitter) body.append(event.submitter.name, event.submitter.value);
  fetch(form.action, {
    method: "POST",
    body,
    headers: { Accept: "application/json" },
  })
    .then((response) => (response.ok ? response.json() : Promise.reject(response)))
    .then(({ message }) => {
      const status = document.createElement("span");
      status.setAttribute("role", "status");
      status.textContent = message;
      form.replaceChildren(status);
    })
    .catch(() => form.submit());
});
