// Progressive enhancement only: every page works without this file.

// Keyboard focus across in-place edits. A swap removes the element that had focus, which
// drops focus to <body> and sends keyboard and screen-reader users back to the top of the
// page. So remember which chain item (or add form) a request came from and, after the swap,
// focus: the first invalid field; else the first field of a form that opened (the question,
// for a delete that asks first); else the control of the same item that was used or that
// opened the form (its first control when that is gone or hidden); else, when the item was
// deleted, the message saying so.
const FOCUSABLE = "a[href], button:not([disabled]), summary, input:not([type=hidden]), textarea, select";
const ANCHOR = "[id$=-head], [id^=add-]";
let origin = null;

const controlName = (element) => element.getAttribute("aria-label") || element.textContent.trim();
const visible = (element) =>
  element.getClientRects().length > 0 && !element.closest("details:not([open]) > :not(summary)");

document.addEventListener("htmx:beforeRequest", (event) => {
  const focused = document.activeElement;
  const control = focused && focused !== document.body ? focused : null;
  const anchor = (control || event.detail.elt).closest(ANCHOR);
  // Save, Cancel or "Keep it" in a form that opened in place: return to what opened it.
  const opener = control?.closest(".item-form, .item-confirm") && origin?.id === anchor?.id;
  const name = opener ? origin.name : control ? controlName(control) : "";
  origin = anchor && { id: anchor.id, name };
});

function focusTarget(swapped) {
  if (swapped.matches(".item-confirm")) return swapped;
  if (swapped.matches(".item-form")) return swapped.querySelector(FOCUSABLE);
  const anchor = origin && document.getElementById(origin.id);
  if (anchor) {
    const controls = [...anchor.querySelectorAll(FOCUSABLE)].filter(visible);
    return controls.find((control) => controlName(control) === origin.name) || controls[0];
  }
  return swapped.querySelector(".chain-flash");
}

// On afterSettle, not afterSwap: until htmx settles, an element that replaced one with the
// same id still wears the old element's classes.
document.addEventListener("htmx:afterSettle", (event) => {
  const swapped = event.target;
  if (!(swapped instanceof Element) || !swapped.isConnected) return;
  const invalid = swapped.querySelector(".is-invalid");
  const focused = document.activeElement;
  const target = invalid || (!focused || focused === document.body ? focusTarget(swapped) : null);
  if (target) target.focus();
});

// Say what an in-place change did: #messages is a live region from page load, so screen
// readers announce text put into it (a freshly swapped-in role=status is often missed).
document.addEventListener("htmx:afterSwap", (event) => {
  const flash = event.target.querySelector?.(".chain-flash");
  const box = document.getElementById("messages");
  if (flash && box) {
    box.querySelectorAll(".chain-announcement").forEach((old) => old.remove());
    const note = document.createElement("p");
    note.className = "visually-hidden chain-announcement";
    note.textContent = flash.textContent.trim();
    box.appendChild(note);
  }
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

// On a phone the project tabs scroll sideways: show the current one.
document.addEventListener("DOMContentLoaded", () => {
  const current = document.querySelector(".project-tabs .nav-link.active");
  const tabs = current?.closest(".project-tabs");
  if (tabs && tabs.scrollWidth > tabs.clientWidth) {
    tabs.scrollLeft = current.offsetLeft - (tabs.clientWidth - current.offsetWidth) / 2;
  }
});
