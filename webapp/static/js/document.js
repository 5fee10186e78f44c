// The document view: the passage the address names (#ev-START-END) is highlighted over every fragment it
// was cut into (overlapping passages and line ends cut it), not only the first one that :target reaches.
// Each <mark> in the text says where it lies (data-start, data-end; webapp/entities.py: highlight).
(function () {
  "use strict";
  function markTarget() {
    var text = document.querySelector("pre.source");
    if (!text) return;
    var old = text.querySelectorAll("mark.ev-target");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("ev-target");
    var m = /^#ev-(\d+)-(\d+)$/.exec(window.location.hash);
    if (!m) return;
    var start = Number(m[1]), end = Number(m[2]);
    var marks = text.querySelectorAll("mark[data-start]");
    for (var j = 0; j < marks.length; j++) {
      var s = Number(marks[j].dataset.start), e = Number(marks[j].dataset.end);
      if (s >= start && e <= end) marks[j].classList.add("ev-target");
    }
  }
  window.addEventListener("hashchange", markTarget);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markTarget);
  else markTarget();
})();
