/* stdhub: filter and sort the catalogue and list tables. Without this script the pages
   show the whole table and the counts; nothing is lost but the filtering. */
(function () {
  "use strict";
  document.documentElement.classList.add("stdhub-js");

  function setupFilter(box) {
    var table = document.getElementById(box.getAttribute("data-stdhub-filter"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var controls = box.querySelectorAll("[data-key]");
    var count = box.querySelector(".stdhub-count");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = Array.prototype.every.call(controls, function (c) {
          var want = c.value.trim().toLowerCase();
          if (!want) return true;
          var key = c.getAttribute("data-key");
          if (key === "text") return row.textContent.toLowerCase().indexOf(want) >= 0;
          return (row.getAttribute("data-" + key) || "").toLowerCase().split("|").indexOf(want) >= 0;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (count) count.textContent = "显示 " + shown + " / " + rows.length + " 项";
    }
    Array.prototype.forEach.call(controls, function (c) {
      c.addEventListener(c.tagName === "SELECT" ? "change" : "input", apply);
    });
    apply();
  }

  function setupSort(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      if (!th.textContent.trim() || th.querySelector(".md-visually-hidden")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
          return (asc ? 1 : -1) * x.localeCompare(y, "zh-CN", { numeric: true });
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function init() {
    // the theme's search dialog has no accessible name (axe: aria-dialog-name)
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
    Array.prototype.forEach.call(document.querySelectorAll("[data-stdhub-filter]"), setupFilter);
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), setupSort);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
