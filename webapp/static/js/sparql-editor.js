/* YASGUI on /sparql: the endpoint preconfigured, the standard prefixes preloaded and the named
   queries of queries/ as examples (from /sparql/examples.json). Without JavaScript, or without
   `npm ci`, the page keeps its plain HTML form. No inline script or style (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("yasgui");
  if (!box || typeof window.Yasgui !== "function") { return; }
  var form = document.getElementById("sparql-form");
  var picker = document.getElementById("sparql-examples");

  // the PREFIX block folded to one line: the user's query is what shows (the line numbers stay those of
  // the text sent, so an error's "line 16" is the editor's line 16)
  function setQuery(tab, text) {
    tab.setQuery(text);
    var editor = tab.getYasqe();
    if (editor && typeof editor.collapsePrefixes === "function") { editor.collapsePrefixes(true); }
  }

  // What YASGUI leaves unnamed or misplaced for assistive technology (axe-core: label, select-name,
  // aria-required-children): the query's text area, the endpoint field and the results' page-size
  // menu get names, and the "add a tab" button moves out of the tab list (a tab list may hold only
  // tabs). Run again whenever YASGUI redraws (a new tab, a new answer).
  function accessible(root) {
    root.querySelectorAll(".yasqe textarea").forEach(function (t) {
      if (!t.getAttribute("aria-label")) { t.setAttribute("aria-label", "SPARQL query"); }
    });
    root.querySelectorAll("select.tableSizer").forEach(function (s) {
      if (!s.getAttribute("aria-label")) { s.setAttribute("aria-label", "Rows per page"); }
    });
    root.querySelectorAll("input.autocomplete").forEach(function (i) {
      if (!i.getAttribute("aria-label")) { i.setAttribute("aria-label", "SPARQL endpoint"); }
    });
    root.querySelectorAll("[role=tablist]").forEach(function (list) {
      // only the button moves (its own click handler goes with it): YASGUI inserts new tabs before
      // the button's wrapper, which stays in the list, empty
      list.querySelectorAll("button.addTab").forEach(function (button) {
        button.classList.add("tabs-extra");
        list.parentNode.insertBefore(button, list.nextSibling);
      });
    });
  }

  // Results read as values: YASR's "simple view" (no <…> around IRIs, no ^^datatype) is the default,
  // and a link in a cell works at the first click
  function simpleTable(tab) {
    var yasr = tab && tab.getYasr && tab.getYasr();
    var table = yasr && yasr.plugins && yasr.plugins.table;
    if (table && table.persistentConfig && table.persistentConfig.compact === undefined) {
      table.persistentConfig.compact = true;
      // and cells whole rather than cut with an ellipsis that must be clicked open before a link works
      table.persistentConfig.isEllipsed = false;
    }
  }

  // A result IRI under the dataset's base opens its page in this explorer (the base, w3id.org, need
  // not resolve from where the explorer runs); the same rule as the server's links (entities.local_path)
  var base = box.getAttribute("data-base") || "";
  function localPath(iri) {
    if (!base || iri.indexOf(base) !== 0) { return null; }
    var rest = iri.slice(base.length);
    if (/^(id|vocab|graph)\//.test(rest)) { return "/" + rest; }
    if (rest.indexOf("ontology") === 0) {
      var term = rest.slice("ontology".length).replace(/^[#/]/, "");
      return "/ontology" + (term ? "#" + term : "");
    }
    return null;
  }
  function localLinks(root) {
    root.querySelectorAll(".yasr a.iri").forEach(function (a) {
      var path = localPath(a.getAttribute("href") || "");
      if (path) { a.setAttribute("href", path); a.removeAttribute("target"); }
    });
  }

  function prefixLines(map) {
    return Object.keys(map).map(function (p) { return "PREFIX " + p + ": <" + map[p] + ">"; }).join("\n") + "\n";
  }

  fetch(box.getAttribute("data-examples"), {headers: {"Accept": "application/json"}})
    .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + r.statusText); } return r.json(); })
    .then(function (cfg) {
      var endpoint = new URL(cfg.endpoint, window.location.href).href;
      var start = prefixLines(cfg.prefixes) + "\n" + box.getAttribute("data-query");
      box.hidden = false;
      var yasgui = new window.Yasgui(box, {
        requestConfig: {endpoint: endpoint, method: "POST"},
        copyEndpointOnNewTab: true,
        persistenceId: null,
        populateFromUrl: false,
        endpointCatalogueOptions: {getData: function () { return [{endpoint: endpoint}]; }},
        yasqe: {value: start, editorHeight: "16rem"}
      });
      var tab = yasgui.getTab();
      tab.setEndpoint(endpoint);
      simpleTable(tab);
      setQuery(tab, start);
      // the answer in view: scroll just enough to show the results under the editor (no further than
      // the results' own top), so Run never leaves "6 results" over an area below the window's edge
      yasgui.on("queryResponse", function () {
        window.setTimeout(function () {
          var shown = box.querySelector(".tabPanel.active .yasr");
          if (!shown) { return; }
          var r = shown.getBoundingClientRect();
          var by = Math.min(r.top - 8, r.bottom - window.innerHeight + 8);
          if (by > 0) { window.scrollBy(0, by); }
        }, 0);
      });
      var byName = {};
      cfg.examples.forEach(function (q) {
        byName[q.name] = q;
        var opt = document.createElement("option");
        opt.value = q.name;
        opt.textContent = q.name + " — " + q.title;
        picker.appendChild(opt);
      });
      picker.addEventListener("change", function () {
        var q = byName[picker.value];
        if (!q) { return; }
        var current = yasgui.getTab();
        setQuery(current, q.query);
        current.setEndpoint(endpoint);
      });
      picker.closest("p").hidden = false;
      if (form) { form.hidden = true; }
      accessible(box);
      ["tabSelect", "tabAdd", "queryResponse"].forEach(function (event) {
        yasgui.on(event, function () {
          simpleTable(yasgui.getTab());
          window.setTimeout(function () { accessible(box); localLinks(box); }, 0);
        });
      });
      window.atdkgYasgui = yasgui;  // for the browser tests and the console
      box.setAttribute("data-ready", "true");
    })
    .catch(function (err) {
      box.hidden = true;
      if (window.console) { window.console.warn("SPARQL editor not loaded: " + err.message); }
    });
}());
