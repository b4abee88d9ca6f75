// Progressive enhancement: send a reaction without reloading the page.
// Without JavaScript the same form posts and the page comes back at the post.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.classList || !form.classList.contains("react-form")) return;
  event.preventDefault();
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(String(response.status));
    const data = await response.json();
    const bar = form.closest(".reactions");
    for (const reaction of data.reactions) {
      const button = bar.querySelector(`button[data-kind="${reaction.kind}"]`);
      if (!button) continue;
      button.textContent = reaction.count ? `${reaction.label} · ${reaction.count}` : reaction.label;
      button.setAttribute("aria-pressed", reaction.mine ? "true" : "false");
      button.classList.toggle("mine", reaction.mine);
    }
  } catch (error) {
    form.submit(); // fall back to the plain form post
  }
});
