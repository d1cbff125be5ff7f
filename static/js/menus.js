// Header drop-downs (<details class="dropdown">): one open at a time; a click elsewhere or Escape closes them.
document.addEventListener("click", (event) => {
  document.querySelectorAll("header details.dropdown[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("header details.dropdown[open]").forEach((menu) => menu.removeAttribute("open"));
});
