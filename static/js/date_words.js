/* The date in words beside each date input (templates/_dates.html), as the server writes it: "22 November 2026". */
(function () {
  "use strict";
  var words = new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  document.querySelectorAll("input[data-date-words]").forEach(function (input) {
    var target = document.getElementById(input.getAttribute("data-date-words"));
    input.addEventListener("input", function () {
      var day = input.valueAsDate;  // midnight UTC of the chosen day, or null while incomplete
      target.textContent = day ? words.format(day) : "";
    });
  });
})();
