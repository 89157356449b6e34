// Progressive enhancement for the report page. A permalink to one occurrence (…&offset=…#occurrence):
// centre and focus that occurrence. Opened without a #fragment: scroll to the first hit.
// Without JavaScript the links carry #occurrence or #hit-1 and the browser scrolls there itself.
(function () {
  var cited = document.querySelector("mark.cited");
  if (cited) {
    cited.scrollIntoView({ block: "center" });
    cited.focus({ preventScroll: true });
    return;
  }
  var first = document.getElementById("hit-1");
  if (first && !window.location.hash) {
    first.scrollIntoView({ block: "center" });
  }
})();
