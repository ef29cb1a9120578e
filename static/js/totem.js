// Progressive enhancement only: every page works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move keyboard focus into a form that was swapped in, so editing in place works
  // from the keyboard as well as with a mouse.
  const field = event.detail.target.querySelector?.("input:not([type=hidden]), textarea, select");
  if (field && event.detail.requestConfig?.verb === "get") field.focus();
});
document.addEventListener("htmx:responseError", (event) => {
  const box = document.getElementById("messages");
  if (box) {
    box.innerHTML = "";
    const alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = event.detail.xhr.status === 403
      ? "Your role on this project does not allow that."
      : "That did not work (" + event.detail.xhr.status + "). Reload the page and try again.";
    box.appendChild(alert);
  }
});
