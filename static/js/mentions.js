// Completion of @mentions in comment boxes (textarea[data-mentions]) from the project's members
// (#mention-members). Progressive: without it, the hint under the box lists the @names.
(() => {
  const source = document.getElementById("mention-members");
  if (!source) return;
  const members = JSON.parse(source.textContent);
  const TYPED = /(^|[^\w@])@([\w.+-]*)$/;
  let list = null;
  let box = null;
  let active = 0;

  const close = () => {
    if (list) list.remove();
    list = null;
    if (box) box.removeAttribute("aria-activedescendant");
  };

  const insert = (member) => {
    const caret = box.selectionStart;
    const before = box.value.slice(0, caret).replace(/@[\w.+-]*$/, `@${member.handle} `);
    box.value = before + box.value.slice(caret);
    box.setSelectionRange(before.length, before.length);
    close();
    box.focus();
  };

  const show = (matches) => {
    close();
    list = document.createElement("ul");
    list.className = "list-group mention-list";
    list.id = `${box.id}-mentions`;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    matches.forEach((member, index) => {
      const item = document.createElement("li");
      item.className = "list-group-item list-group-item-action small" + (index === active ? " active" : "");
      item.id = `${list.id}-${index}`;
      item.setAttribute("role", "option");
      item.textContent = `${member.name} (@${member.handle})`;
      item.addEventListener("mousedown", (event) => { event.preventDefault(); insert(member); });
      list.append(item);
    });
    box.after(list);
    box.setAttribute("aria-activedescendant", `${list.id}-${active}`);
    list.matches = matches;
  };

  document.addEventListener("input", (event) => {
    if (!event.target.matches("textarea[data-mentions]")) return;
    box = event.target;
    const typed = box.value.slice(0, box.selectionStart).match(TYPED);
    if (!typed) return close();
    const needle = typed[2].toLowerCase();
    const matches = members
      .filter((m) => m.handle.toLowerCase().startsWith(needle) || m.name.toLowerCase().includes(needle))
      .slice(0, 6);
    active = 0;
    return matches.length ? show(matches) : close();
  });

  document.addEventListener("keydown", (event) => {
    if (!list || event.target !== box) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : -1) + list.matches.length) % list.matches.length;
      show(list.matches);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      insert(list.matches[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  document.addEventListener("focusout", (event) => { if (event.target === box) close(); });
})();
