// Progressive enhancement: save what someone is writing every few seconds, so a closed tab,
// a lost connection or an expired session never loses it. Without JavaScript, the
// "Save draft" button does the same.
(() => {
  const INTERVAL_MS = 5000;
  for (const form of document.querySelectorAll("form[data-draft-place]")) {
    let lastSent = new URLSearchParams(new FormData(form)).toString();
    const status = form.querySelector(".draft-status");
    setInterval(async () => {
      const data = new FormData(form);
      const snapshot = new URLSearchParams(data).toString();
      if (snapshot === lastSent) return;
      data.set("place", form.dataset.draftPlace);
      data.delete("save_draft");
      try {
        const response = await fetch(form.dataset.draftUrl, {
          method: "POST", body: data, credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (response.ok) {
          lastSent = snapshot;
          if (status) status.textContent = "Draft saved.";
        }
      } catch (error) {
        if (status) status.textContent = "Couldn't save a draft just now; your text is still here.";
      }
    }, INTERVAL_MS);
  }
})();
