// Paper entry at keyboard speed (the form works without this file):
// the keys shown beside the options (1–9, 0, then a–z: the form's data-keys, from
// eventsapp/surveys/forms.py PAPER_KEYS) pick the n-th option of the current question (a
// single choice then moves on; a multiple choice toggles), Enter moves to the next question — blanks allowed —
// and on the last question saves the sheet; Backspace clears a choice; in a text area
// Shift+Enter makes a new line. On a joint event's sheet, once 「医療・介護の仕事をされていますか」
// is answered, Enter and the keys skip the questions of the other audience (dimmed).
const form = document.querySelector("form[data-paper-entry]");
const KEYS = form ? form.dataset.keys || "123456789" : "";

if (form) {
  const groups = [...form.querySelectorAll("[data-question]")];

  const groupOf = (element) => element.closest("[data-question]");
  const inputsOf = (group) => [...group.querySelectorAll("input, textarea")];

  const focusGroup = (group) => {
    groups.forEach((g) => g.classList.toggle("sv-current", g === group));
    const inputs = inputsOf(group);
    const target = inputs.find((input) => input.checked) || inputs[0];
    if (target) target.focus();
  };

  const chosenAudience = () => form.querySelector('[data-question="audience"] input:checked')?.value;
  const skipped = (group) => {
    const audience = chosenAudience();
    return Boolean(audience && group.dataset.audience && group.dataset.audience !== audience);
  };
  const dimSkipped = () => groups.forEach((g) => g.classList.toggle("sv-skipped", skipped(g)));

  const next = (group) => {
    const following = groups.slice(groups.indexOf(group) + 1).find((g) => !skipped(g));
    if (following) {
      focusGroup(following);
    } else {
      form.requestSubmit();
    }
  };

  form.addEventListener("change", dimSkipped);
  dimSkipped();

  form.addEventListener("focusin", (event) => {
    const group = groupOf(event.target);
    groups.forEach((g) => g.classList.toggle("sv-current", g === group));
  });

  form.addEventListener("keydown", (event) => {
    const group = groupOf(event.target);
    if (!group || event.altKey || event.metaKey) return;
    const kind = group.dataset.kind;
    const typing = event.target.tagName === "TEXTAREA" || (event.target.tagName === "INPUT" && !["radio", "checkbox"].includes(event.target.type));
    if (event.key === "Enter") {
      if (event.target.tagName === "TEXTAREA" && event.shiftKey) return;
      event.preventDefault();
      if (event.ctrlKey) {
        form.requestSubmit();
      } else {
        next(group);
      }
      return;
    }
    if (typing || event.ctrlKey) return;
    const options = inputsOf(group);
    const index = event.key.length === 1 && !event.shiftKey ? KEYS.indexOf(event.key) : -1;
    if (index >= 0) {
      const option = options[index];
      event.preventDefault();
      if (!option) return;
      if (kind === "multiple") {
        option.checked = !option.checked;
        option.focus();
      } else {
        option.checked = true;
        dimSkipped();
        next(group);
      }
    } else if (event.key === "Backspace" || event.key === "Delete") {
      event.preventDefault();
      options.forEach((option) => { option.checked = false; });
      dimSkipped();
    }
  });

  const first = groups.find((g) => g.querySelector("[aria-invalid], .error")) || groups[0];
  if (first) focusGroup(first);
}
