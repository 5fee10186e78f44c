/* YASGUI on /sparql: the endpoint preconfigured, the standard prefixes preloaded and the named
   queries of queries/ as examples (from /sparql/examples.json). Without JavaScript, or without
   `npm ci`, the page keeps its plain HTML form. No inline script or style (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("yasgui");
  if (!box || typeof window.Yasgui !== "function") { return; }
  var form = document.getElementById("sparql-form");
  var picker = document.getElementById("sparql-examples");

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
        yasqe: {value: start}
      });
      var tab = yasgui.getTab();
      tab.setEndpoint(endpoint);
      tab.setQuery(start);
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
        current.setQuery(q.query);
        current.setEndpoint(endpoint);
      });
      picker.closest("p").hidden = false;
      if (form) { form.hidden = true; }
      window.atdkgYasgui = yasgui;  // for the browser tests and the console
      box.setAttribute("data-ready", "true");
    })
    .catch(function (err) {
      box.hidden = true;
      if (window.console) { window.console.warn("SPARQL editor not loaded: " + err.message); }
    });
}());
