/* Ballot page enhancement: an ordered "your ranking" list that can be rearranged by dragging
 * (pointer events: mouse, pen and touch) or with buttons (Move up, Move down, Add to my ranking,
 * Remove), every change announced in a live region.
 *
 * The list and the number boxes never disagree: the ranking is held here, and after every
 * change (a drag, a button, a number typed in a box) the boxes are rewritten to show exactly
 * the list's positions 1, 2, 3 ... Typing a number in a box moves that candidate to that place
 * in the list (a number past the end puts it last; clearing the box takes it out), and the
 * other boxes renumber at once. The boxes stay the form's only fields, so the form posts what
 * it posts without JavaScript and the server checks it as before. Boxes that come back from
 * the server holding something the list cannot show (two candidates given 1, a skipped rank)
 * are renumbered to the list's order on load, and the page says so. Without JavaScript the
 * container stays hidden and the page is unchanged.
 */
(function () {
  "use strict";

  const root = document.querySelector("[data-ranker]");
  const form = root && root.closest("form");
  if (!form) return;
  const candidates = Array.from(form.querySelectorAll('input[type="number"][name^="rank-"]')).map(
    (box) => {
      const label = form.querySelector('label[for="' + box.id + '"]');
      return { box: box, name: label ? label.textContent.trim() : box.name };
    },
  );
  if (candidates.length === 0) return;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
    (children || []).forEach((child) =>
      node.append(typeof child === "string" ? document.createTextNode(child) : child),
    );
    return node;
  }

  const chosen = el("ol", { class: "ranker-list", "aria-labelledby": "ranker-chosen-h" });
  const rest = el("ul", { class: "ranker-list", "aria-labelledby": "ranker-rest-h" });
  const status = el("p", { role: "status", class: "ranker-status", id: "ranker-status" });
  root.append(
    el("h2", {}, ["Arrange your ranking"]),
    el("p", {}, [
      "Drag candidates into your order of preference, or use the buttons. The number boxes " +
        "below always show the list's order; typing a number in one moves that candidate " +
        "to that place.",
    ]),
    el("h3", { id: "ranker-chosen-h" }, ["Your ranking (first choice first)"]),
    chosen,
    el("h3", { id: "ranker-rest-h" }, ["Not ranked"]),
    rest,
    status,
  );

  /* The ranking, first choice first: the one state both the list and the boxes show. On load
   * it is read from the boxes: ranked candidates by their number (ties in ballot order). */
  let ranking = candidates
    .map((c, i) => ({ c: c, i: i, n: parseInt(c.box.value, 10) }))
    .filter((x) => x.n >= 1)
    .sort((a, b) => a.n - b.n || a.i - b.i)
    .map((x) => x.c);

  function read() {
    return {
      ranked: ranking.slice(),
      unranked: candidates.filter((c) => !ranking.includes(c)),
    };
  }

  /* Show the ranking in the boxes; true if any box held something else. */
  function write(ranked) {
    ranking = ranked.slice();
    let changed = false;
    candidates.forEach((c) => {
      const at = ranking.indexOf(c);
      const value = at < 0 ? "" : String(at + 1);
      if (c.box.value !== value) {
        c.box.value = value;
        changed = true;
      }
    });
    return changed;
  }

  function button(text, action, c) {
    return el("button", { type: "button", "data-action": action }, [
      text,
      el("span", { class: "visually-hidden" }, [": " + c.name]),
    ]);
  }

  function item(c, buttons) {
    return el("li", { class: "ranker-item", "data-index": String(candidates.indexOf(c)) }, [
      el("div", { class: "ranker-row" }, [
        el("span", { class: "ranker-grip", title: "Drag to reorder" }, [
          el("span", { class: "ranker-handle", "aria-hidden": "true" }, ["\u2630"]),
          el("span", { class: "ranker-name" }, [c.name]),
        ]),
        el("span", { class: "ranker-buttons" }, buttons),
      ]),
    ]);
  }

  function render() {
    const state = read();
    chosen.replaceChildren(
      ...state.ranked.map((c, i) => {
        const li = item(c, [
          button("Move up", "up", c),
          button("Move down", "down", c),
          button("Remove", "remove", c),
        ]);
        li.querySelector('[data-action="up"]').disabled = i === 0;
        li.querySelector('[data-action="down"]').disabled = i === state.ranked.length - 1;
        return li;
      }),
    );
    rest.replaceChildren(
      ...state.unranked.map((c) => item(c, [button("Add to my ranking", "add", c)])),
    );
  }

  function describe(c, before, after) {
    const was = before.indexOf(c);
    const now = after.indexOf(c);
    if (now === was) return "";
    if (now < 0) return c.name + " removed from your ranking";
    if (was < 0) return c.name + " added to your ranking at preference " + (now + 1);
    return c.name + " moved to preference " + (now + 1);
  }

  /* Write a new ranking into the boxes, redraw, say what happened, keep focus nearby. */
  function commit(c, ranked, focusAction) {
    const before = read().ranked;
    write(ranked);
    render();
    const message = describe(c, before, ranked);
    if (message) status.textContent = message;
    const li = root.querySelector('li[data-index="' + candidates.indexOf(c) + '"]');
    if (focusAction === null || !li) return;
    const target =
      li.querySelector('[data-action="' + focusAction + '"]:not(:disabled)') ||
      li.querySelector("button:not(:disabled)");
    if (target) target.focus();
  }

  root.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-action]");
    if (!btn) return;
    const c = candidates[Number(btn.closest("li").dataset.index)];
    const ranked = read().ranked;
    const at = ranked.indexOf(c);
    const action = btn.dataset.action;
    if (action === "add") ranked.push(c);
    else if (action === "remove") ranked.splice(at, 1);
    else {
      const to = action === "up" ? at - 1 : at + 1;
      if (to < 0 || to >= ranked.length) return;
      ranked.splice(at, 1);
      ranked.splice(to, 0, c);
    }
    commit(c, ranked, action === "add" ? "up" : action === "remove" ? "add" : action);
  });

  /* Dragging moves the item itself between and within the two lists as the pointer goes; on
   * release the order in the "your ranking" list is committed. Listening on the document keeps
   * the drag going when the item is moved in the page under the pointer. */
  let drag = null;

  function listAt(x, y) {
    return [chosen, rest].find((list) => {
      const r = list.getBoundingClientRect();
      return x >= r.left && x <= r.right && y >= r.top - 8 && y <= r.bottom + 8;
    });
  }

  function move(ev) {
    if (!drag || ev.pointerId !== drag.pointerId) return;
    ev.preventDefault();
    const list = listAt(ev.clientX, ev.clientY);
    if (!list) return;
    const next = Array.from(list.children).find((li) => {
      if (li === drag.li) return false;
      const r = li.getBoundingClientRect();
      return ev.clientY < r.top + r.height / 2;
    });
    if (next !== undefined ? drag.li.nextSibling !== next : list.lastElementChild !== drag.li) {
      list.insertBefore(drag.li, next || null);
    }
  }

  // Escape during a drag puts everything back as it was (the boxes still hold the old order)
  function cancelOnEscape(ev) {
    if (!drag || ev.key !== "Escape") return;
    ev.preventDefault();
    const name = candidates[Number(drag.li.dataset.index)].name;
    end({ type: "pointercancel", pointerId: drag.pointerId });
    status.textContent = "Move of " + name + " cancelled";
  }

  function end(ev) {
    if (!drag || ev.pointerId !== drag.pointerId) return;
    const li = drag.li;
    drag = null;
    document.removeEventListener("pointermove", move);
    document.removeEventListener("pointerup", end);
    document.removeEventListener("pointercancel", end);
    document.removeEventListener("keydown", cancelOnEscape);
    li.classList.remove("ranker-dragging");
    if (ev.type === "pointercancel") {
      render();
      return;
    }
    const ranked = Array.from(chosen.children).map((x) => candidates[Number(x.dataset.index)]);
    commit(candidates[Number(li.dataset.index)], ranked, null);
  }

  root.addEventListener("pointerdown", (ev) => {
    const grip = ev.target.closest(".ranker-grip");
    if (drag || !grip || (ev.pointerType === "mouse" && ev.button !== 0)) return;
    // no text selection; a finger's drag does not scroll because the CSS gives the grip
    // touch-action: none
    ev.preventDefault();
    drag = { li: grip.closest("li"), pointerId: ev.pointerId };
    drag.li.classList.add("ranker-dragging");
    document.addEventListener("pointermove", move);
    document.addEventListener("pointerup", end);
    document.addEventListener("pointercancel", end);
    document.addEventListener("keydown", cancelOnEscape);
  });

  /* A number typed in a box moves that candidate to that place; the boxes renumber at once.
   * A box being emptied (or holding no number yet) takes the candidate out. */
  candidates.forEach((c) =>
    c.box.addEventListener("input", () => {
      const n = parseInt(c.box.value, 10);
      const ranked = ranking.filter((x) => x !== c);
      if (n >= 1) ranked.splice(Math.min(n, ranked.length + 1) - 1, 0, c);
      commit(c, ranked, null);
    }),
  );
  if (write(ranking)) {
    status.textContent =
      "Your numbers are now 1, 2, 3 \u2026 in the order the list shows; check it before you review.";
  }
  render();
  root.hidden = false;
})();
