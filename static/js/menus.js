// Progressive enhancement for the header's menus (<details>, which work without it): Escape
// or a click elsewhere closes an open menu, as people expect of a menu.
(() => {
  const menus = () => document.querySelectorAll("details.site-menu[open], details.account-menu[open]");
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of menus()) {
      const hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", (event) => {
    for (const menu of menus()) if (!menu.contains(event.target)) menu.open = false;
  });
})();
