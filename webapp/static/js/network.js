/* The actor network drawn with Cytoscape.js from the page's JSON twin (/network.json?…).
   Without JavaScript (or without `npm ci`) the page keeps its tables of actors and links.
   Hover a node: its metrics and name; click a node: its page (/id/…). Names are drawn only for the
   best-connected actors (data-labelled, by PageRank) and for all once zoomed in, so they do not pile
   on each other; lines are coloured by their main relation (the legend beside the drawing explains
   both, with the colours of network.css). No inline script or style (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  if (!box || typeof window.cytoscape !== "function") { return; }
  var info = document.getElementById("network-info");
  var SIDES = {"government": "#0b6e99", "civil society": "#2f8f46", "international": "#b5651d",
               "unnamed": "#888888", "other": "#7a5195"};
  var RELATIONS = {"co-hosting": "#d62728", "co-lead": "#9467bd", "co-member": "#c5b0d5",
                   "co-participation": "#1f77b4", "partnership": "#ff7f0e", "shared-practice": "#bcbd22",
                   "affiliation": "#7f7f7f"};
  var FONT = 11, ZOOMED = 1.6;  // zoomed in this much from the fitted view, every name has room

  function mainRelation(edge) {
    var weights = edge.data("relation_weights") || {}, best = null;
    Object.keys(weights).forEach(function (r) { if (best === null || weights[r] > weights[best]) { best = r; } });
    return best || (edge.data("relations") || [])[0];
  }

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
      box.style.height = window.innerWidth < 640 ? "26rem" : "36rem";
      box.style.border = "1px solid #ddd";
      box.style.margin = "1rem 0";
      var ranks = doc.elements.nodes.map(function (n) { return n.data.pagerank || 0; });
      var maxRank = Math.max.apply(null, ranks.concat([1e-9]));
      var labelled = parseInt(box.getAttribute("data-labelled"), 10) || 12;
      var cy = window.cytoscape({
        container: box,
        elements: doc.elements,
        style: [
          {selector: "node", style: {
            "label": "", "font-size": FONT,
            "text-wrap": "ellipsis", "text-max-width": 110,
            "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
            "text-valign": "bottom", "text-margin-y": 2,
            "width": function (n) { return 12 + 30 * (n.data("pagerank") || 0) / maxRank; },
            "height": function (n) { return 12 + 30 * (n.data("pagerank") || 0) / maxRank; },
            "background-color": function (n) { return SIDES[n.data("side")] || SIDES.other; }}},
          {selector: "node.labelled, node.hover, node.zoomed", style: {"label": "data(label)"}},
          {selector: "node.labelled", style: {"z-index": 5, "text-background-opacity": 0.9}},
          {selector: "node.label-over", style: {"z-index": 8}},
          {selector: "node.label-above", style: {"text-valign": "top", "text-margin-y": -2}},
          {selector: "node.label-right", style: {"text-valign": "center", "text-halign": "right", "text-margin-x": 2,
                                                 "text-margin-y": 0}},
          {selector: "node.label-left", style: {"text-valign": "center", "text-halign": "left", "text-margin-x": -2,
                                                "text-margin-y": 0}},
          {selector: "node.hover", style: {"border-width": 3, "border-color": "#e07b00", "z-index": 10}},
          {selector: "edge", style: {"width": function (e) { return Math.min(0.5 + e.data("weight") / 2, 6); },
                                     "line-color": function (e) { return RELATIONS[mainRelation(e)] || "#c8c8c8"; },
                                     "opacity": 0.45, "curve-style": "haystack"}}
        ],
        layout: {name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 8000; }}
      });
      // at most that many names, best-connected first (ties — a clique of Working Group members has one
      // PageRank — broken by weighted degree, then by name), and never one over another: each name tries
      // four places around its dot (below, above, right, left; its width measured in the font) and takes the
      // first that crosses neither a name already shown nor another actor's dot, else the first that crosses
      // no name (in a dense cluster every place is over some dot: the name is drawn over it, on a white
      // background); with no place left it is left for hover and zoom, and the next actor gets the place
      var shown = [];
      // (with 2 px to spare: a name's background reaches a pixel into its dot's side)
      function overlaps(a, b) { return a.x1 - 2 < b.x2 && b.x1 - 2 < a.x2 && a.y1 - 2 < b.y2 && b.y1 - 2 < a.y2; }
      var dots = cy.nodes().map(function (m) {
        var q = m.position(), r = m.width() / 2;
        return {node: m, x1: q.x - r, x2: q.x + r, y1: q.y - r, y2: q.y + r};
      });
      // a name's width as Cytoscape will draw it (its default font; at most text-max-width, then an ellipsis)
      var measure = document.createElement("canvas").getContext("2d");
      measure.font = FONT + 'px "Helvetica Neue", Helvetica, sans-serif';
      function places(n) {
        var p = n.position(), half = n.height() / 2, h = FONT + 8;
        var w = Math.min(110, measure.measureText(String(n.data("label"))).width) + 6;
        return [
          {cls: "", x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y + half, y2: p.y + half + h},
          {cls: "label-above", x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y - half - h, y2: p.y - half},
          {cls: "label-right", x1: p.x + half, x2: p.x + half + w, y1: p.y - h / 2, y2: p.y + h / 2},
          {cls: "label-left", x1: p.x - half - w, x2: p.x - half, y1: p.y - h / 2, y2: p.y + h / 2}];
      }
      cy.nodes().sort(function (a, b) {
        return (b.data("pagerank") || 0) - (a.data("pagerank") || 0) ||
          (b.data("weighted_degree") || 0) - (a.data("weighted_degree") || 0) ||
          String(a.data("label")).localeCompare(String(b.data("label")));
      }).forEach(function (n) {
        if (shown.length >= labelled) { return; }
        var free = places(n).filter(function (box) {
          return !shown.some(function (o) { return overlaps(box, o); });
        });
        var clear = free.filter(function (box) {
          return !dots.some(function (d) { return d.node !== n && overlaps(box, d); });
        });
        var box = clear[0] || free[0];
        if (box) {
          shown.push(box);
          n.addClass("labelled");
          if (box.cls) { n.addClass(box.cls); }
          if (!clear.length) { n.addClass("label-over"); }  // drawn above the dots it crosses
        }
      });
      // fitted again now that names are drawn: the layout fitted the dots alone, and names of dots at the
      // edge were cut off by the frame (a bounding box includes labels); only ever zooming out
      var laidOut = cy.zoom();
      cy.fit(cy.elements(), 16);
      if (cy.zoom() > laidOut) { cy.zoom(laidOut); cy.center(); }
      // the other names appear once zoomed in well beyond the fitted view: a class, not Cytoscape's
      // min-zoomed-font-size, which showed every name at some fitted zooms
      var fitted = cy.zoom();
      cy.on("zoom", function () { cy.nodes().toggleClass("zoomed", cy.zoom() >= fitted * ZOOMED); });
      cy.on("mouseover", "node", function (e) { e.target.addClass("hover"); show(e.target); box.style.cursor = "pointer"; });
      cy.on("mouseout", "node", function (e) { e.target.removeClass("hover"); box.style.cursor = ""; });
      cy.on("tap", "node", function (e) {
        var href = e.target.data("href");
        if (href && href.charAt(0) === "/") { window.location.assign(href); }
      });
      window.atdkgNetwork = cy;  // for the browser tests and the console
      // ready once a frame has been drawn with the final styles (the names' classes)
      window.requestAnimationFrame(function () {
        window.requestAnimationFrame(function () { box.setAttribute("data-ready", "true"); });
      });
    })
    .catch(function (err) {
      info.textContent = "The graph could not be drawn (" + err.message + "); the tables below hold the same network.";
      info.hidden = false;
    });
}());
