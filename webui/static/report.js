// Progressive enhancement for the report page. A permalink to one occurrence (…&offset=…#occurrence): the
// browser scrolls to it (style.css gives the anchor a scroll margin); here it is also focused, and scrolled to
// when the fragment was dropped. Opened without a #fragment: scroll to the first hit.
(function () {
  var cited = document.querySelector("mark.cited");
  if (cited) {
    if (window.location.hash !== "#occurrence") {
      cited.scrollIntoView({ block: "center" });
    }
    cited.focus({ preventScroll: true });
    return;
  }
  var first = document.getElementById("hit-1");
  if (first && !window.location.hash) {
    first.scrollIntoView({ block: "center" });
  }
})();
