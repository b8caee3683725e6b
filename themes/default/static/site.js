// plansite default theme: small reader aids, no dependencies (see base.html).
// The language switch keeps the passage: both languages share the content's anchors.
for (const a of document.querySelectorAll(".lang-switch a")) a.addEventListener("click", () => { if (location.hash) a.hash = location.hash; });
// Glossary definitions: Escape hides the open one (WCAG 1.4.13); on a touch screen the first tap
// shows the definition and only a second tap follows the link to the glossary.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape") return;
  for (const t of document.querySelectorAll(".term:hover, .term:focus-within")) t.classList.add("dismissed");
});
for (const t of document.querySelectorAll(".term")) {
  const reset = () => t.classList.remove("dismissed");
  t.addEventListener("mouseleave", reset);
  t.addEventListener("focusout", () => { reset(); t.classList.remove("opened"); });
  const link = t.querySelector(".term-link");
  if (link) link.addEventListener("click", (e) => {
    if (!matchMedia("(hover: none)").matches || t.classList.contains("opened")) return;
    e.preventDefault();
    t.classList.add("opened");
    link.focus();
  });
}
