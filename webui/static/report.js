// Progressive enhancement for the report page: opened without a #fragment, scroll to the first hit.
// Without JavaScript the result links carry #hit-1 and the browser does the same.
(function () {
  var first = document.getElementById("hit-1");
  if (first && !window.location.hash) {
    first.scrollIntoView({ block: "center" });
  }
})();
