// A 「印刷」 button for pages laid out for A4: shown only when scripts run (the browser's
// own print command works everywhere), and bound here because the CSP allows no inline handlers.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
