// Suggestions as you type (建议词): fills the search box's <datalist>. The search works
// without this script; it only offers words.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var prefix = input.value.trim();
      if (!prefix || prefix === last || prefix.length > 40) { return; }
      last = prefix;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(prefix), {headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
        .then(function (data) {
          list.textContent = "";
          (data.suggestions || []).forEach(function (word) {
            var option = document.createElement("option");
            option.value = word;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
