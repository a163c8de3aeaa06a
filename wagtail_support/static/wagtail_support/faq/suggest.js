// Offers FAQ entries while the customer types the subject of a contact form (R-PB1). Without this
// script the form is unchanged. Opening an entry is reported once, so reports can count requests
// the FAQ answered before they were sent.
(() => {
  const DELAY = 300;

  const setUp = (box) => {
    if (box.dataset.wsReady) return;
    box.dataset.wsReady = "1";
    const form = box.closest("form");
    const subject = form && form.querySelector("input[name=subject]");
    if (!subject) return;
    // Shown right below the subject, where the customer is looking.
    (subject.closest("p") || subject).after(box);
    const list = box.querySelector("ul");
    const started = form.querySelector("input[name=started]");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    let timer = null;
    let controller = null;
    let lastQuery = "";

    const reportOpened = (id) => {
      const body = new URLSearchParams({
        entry: id,
        started: started ? started.value : "",
        q: subject.value,
      });
      fetch(box.dataset.wsOpenedUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        body,
        keepalive: true,
      }).catch(() => {});
    };

    const show = (results) => {
      list.replaceChildren();
      for (const item of results) {
        const li = document.createElement("li");
        const details = document.createElement("details");
        const summary = document.createElement("summary");
        summary.textContent = item.question;
        const answer = document.createElement("div");
        answer.className = "support-faq-suggestions__answer";
        // The answer is the editors' own rich text from the FAQ page.
        answer.innerHTML = item.answer;
        const link = document.createElement("a");
        link.href = item.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = box.dataset.wsOpenLabel;
        details.append(summary, answer, link);
        details.addEventListener("toggle", () => {
          if (details.open && !details.dataset.wsReported) {
            details.dataset.wsReported = "1";
            reportOpened(item.id);
          }
        });
        li.append(details);
        list.append(li);
      }
      box.hidden = results.length === 0;
    };

    const lookUp = () => {
      const query = subject.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < 3) {
        show([]);
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      const url = `${box.dataset.wsSuggestUrl}?${new URLSearchParams({ q: query })}`;
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then(({ results }) => show(results || []))
        .catch(() => {});
    };

    subject.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, DELAY);
    });
  };

  const start = () => document.querySelectorAll(".support-faq-suggestions").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
