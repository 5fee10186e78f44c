/* The actor network drawn with Cytoscape.js from the page's JSON twin (/network.json?…).
   Without JavaScript (or without `npm ci`) the page keeps its tables of actors and links.
   Hover a node: its metrics; click a node: its page (/id/…). No inline script or style (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  if (!box || typeof window.cytoscape !== "function") { return; }
  var info = document.getElementById("network-info");
  var SIDES = {"government": "#0b6e99", "civil society": "#2f8f46", "international": "#b5651d",
               "unnamed": "#888888", "other": "#7a5195"};

  function fmt(x, digits) { return typeof x === "number" ? x.toFixed(digits) : ""; }

  function show(node) {
    var d = node.data();
    info.textContent = d.label + " (" + d.type + ") — degree " + d.degree + ", weighted degree " +
      d.weighted_degree + ", betweenness " + fmt(d.betweenness, 3) + ", PageRank " + fmt(d.pagerank, 3);
    info.hidden = false;
  }

  fetch(box.getAttribute("data-src"), {headers: {"Accept": "application/json"}})
    .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + r.statusText); } return r.json(); })
    .then(function (doc) {
      box.hidden = false;
      if (!document.getElementById("__________cytoscape_stylesheet")) {
        // Cytoscape.js injects a <style> (position: relative) unless this id exists: CSP forbids it
        var marker = document.createElement("meta");
        marker.id = "__________cytoscape_stylesheet";
        document.head.appendChild(marker);
      }
      box.style.position = "relative";
      box.style.height = "36rem";
      box.style.border = "1px solid #ddd";
      box.style.margin = "1rem 0";
      var maxRank = Math.max.apply(null, doc.elements.nodes.map(function (n) { return n.data.pagerank || 0; }).concat([1e-9]));
      var cy = window.cytoscape({
        container: box,
        elements: doc.elements,
        style: [
          {selector: "node", style: {
            "label": "data(label)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 120,
            "width": function (n) { return 12 + 30 * (n.data("pagerank") || 0) / maxRank; },
            "height": function (n) { return 12 + 30 * (n.data("pagerank") || 0) / maxRank; },
            "background-color": function (n) { return SIDES[n.data("side")] || SIDES.other; }}},
          {selector: "edge", style: {"width": function (e) { return Math.min(1 + e.data("weight"), 8); },
                                     "line-color": "#c8c8c8", "curve-style": "haystack"}},
          {selector: "node.hover", style: {"border-width": 3, "border-color": "#e07b00"}}
        ],
        layout: {name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 8000; }}
      });
      cy.on("mouseover", "node", function (e) { e.target.addClass("hover"); show(e.target); box.style.cursor = "pointer"; });
      cy.on("mouseout", "node", function (e) { e.target.removeClass("hover"); box.style.cursor = ""; });
      cy.on("tap", "node", function (e) {
        var href = e.target.data("href");
        if (href && href.charAt(0) === "/") { window.location.assign(href); }
      });
      window.atdkgNetwork = cy;  // for the browser tests and the console
      box.setAttribute("data-ready", "true");
    })
    .catch(function (err) {
      info.textContent = "The graph could not be drawn (" + err.message + "); the tables below hold the same network.";
      info.hidden = false;
    });
}());
