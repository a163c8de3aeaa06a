// Wagtail's date picker for inputs that carry their configuration in data-ws-date-chooser
// (wagtail_support/admin/date_widgets.py), instead of an inline script per input.
(() => {
  const init = () => {
    document.querySelectorAll("input[data-ws-date-chooser]").forEach((input) => {
      if (input.dataset.wsDateChooserReady) return;
      window.initDateChooser(input.id, JSON.parse(input.dataset.wsDateChooser));
      input.dataset.wsDateChooserReady = "1";
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
