/* Suggestions as you type on /search: the page's JSON twin (/search.json?q=…&limit=8) in an ARIA
   listbox under the box (combobox pattern): ArrowDown/ArrowUp move through it, Enter opens the
   highlighted entity's page (with none highlighted, Enter submits the form: the full results page),
   Escape closes it. Without JavaScript the form is a plain GET form. No inline script or style (CSP). */
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  var status = document.getElementById("search-status");
  if (!input || !list || !window.fetch) { return; }
  var url = input.getAttribute("data-suggest");
  var items = [];
  var active = -1;
  var asked = 0;   // number of the latest request: an older answer arriving late is dropped
  var timer = null;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(i) {
    var options = list.children;
    for (var k = 0; k < options.length; k++) {
      options[k].setAttribute("aria-selected", k === i ? "true" : "false");
    }
    active = i;
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(hits, total) {
    items = hits;
    list.textContent = "";
    hits.forEach(function (h, i) {
      var li = document.createElement("li");
      li.id = "search-suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-href", h.href);
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = h.label;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = h.kind;
      li.appendChild(name);
      li.appendChild(kind);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); });  // keep the focus in the box
      li.addEventListener("click", function () { window.location.assign(h.href); });
      list.appendChild(li);
    });
    active = -1;
    if (hits.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = total + " match" + (total === 1 ? "" : "es") + "; use the arrow keys to choose one";
    } else {
      close();
      status.textContent = "No match yet: press Enter to search anyway";
    }
  }

  function suggest() {
    var text = input.value.trim();
    if (!text) { close(); status.textContent = ""; return; }
    var mine = ++asked;
    fetch(url + "?" + new URLSearchParams({q: text, limit: "8"}), {headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + r.statusText); } return r.json(); })
      .then(function (data) { if (mine === asked) { show(data.hits, data.count); } })
      .catch(function () { if (mine === asked) { close(); } });  // suggestions are a help: the form still works
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", function (ev) {
    var open = !list.hidden && items.length > 0;
    if (ev.key === "ArrowDown") {
      if (!open) { suggest(); return; }
      ev.preventDefault();
      highlight(active + 1 < items.length ? active + 1 : 0);
    } else if (ev.key === "ArrowUp" && open) {
      ev.preventDefault();
      highlight(active > 0 ? active - 1 : items.length - 1);
    } else if (ev.key === "Enter" && open && active >= 0) {
      ev.preventDefault();
      window.location.assign(items[active].href);
    } else if (ev.key === "Escape" && open) {
      ev.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 150); });
}());
