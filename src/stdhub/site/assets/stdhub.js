/* stdhub: derive statuses on the reader's day; filter and sort the catalogue and list
   tables. Without this script the pages show the status of the day they were built, the
   whole table and the counts; nothing is lost but the filtering. */
(function () {
  "use strict";
  document.documentElement.classList.add("stdhub-js");

  /* Truth at reading time: the status a page shows is derived again from the dates it
     carries (data-recorded, data-start, data-end, data-effective), the way
     Standard.display_status derives it at build time, on today's date in China. */
  var BADGES = { "现行": "current", "即将实施": "upcoming", "征求意见中": "consulting",
    "即将征求意见": "draft", "征求意见已截止": "closed" };  // = stdhub.site.status.BADGES

  function today() {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric",
        month: "2-digit", day: "2-digit" }).format(new Date());
    } catch (e) {
      var d = new Date();
      return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
    }
  }

  function derive(dates, day) {
    var recorded = dates.getAttribute("data-recorded");
    var start = dates.getAttribute("data-start"), end = dates.getAttribute("data-end");
    var effective = dates.getAttribute("data-effective");
    if (recorded === "征求意见") {
      if (end && day > end) return "征求意见已截止";
      if (start && day < start) return "即将征求意见";
      return "征求意见中";
    }
    if (effective && day < effective) return "即将实施";
    return effective ? "现行" : recorded;
  }

  function daysBetween(from, to) {
    return Math.round((Date.parse(to + "T00:00:00Z") - Date.parse(from + "T00:00:00Z")) / 86400000);
  }

  function setupLive() {
    var day = today();
    var page = document.querySelector("[data-stdhub-page][data-recorded]");
    function datesOf(el) { return el.closest("[data-recorded]") || page; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-stdhub-live]"), function (el) {
      var dates = datesOf(el);
      if (!dates) return;
      var status = derive(dates, day);
      el.textContent = status;
      if (el.classList.contains("stdhub-badge")) {
        el.className = el.className.replace(/stdhub-badge--\S+/, "stdhub-badge--" + (BADGES[status] || "draft"));
      }
      if (dates.hasAttribute("data-status")) dates.setAttribute("data-status", status);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-stdhub-show]"), function (el) {
      var dates = datesOf(el);
      if (dates) el.hidden = el.getAttribute("data-stdhub-show").split(" ").indexOf(derive(dates, day)) < 0;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-stdhub-days]"), function (el) {
      var left = daysBetween(day, el.getAttribute("data-stdhub-days"));
      el.hidden = left < 0;
      el.textContent = left > 0 ? "（还有 " + left + " 天）" : "（今天截止）";
    });
  }

  function setupFilter(box) {
    var table = document.getElementById(box.getAttribute("data-stdhub-filter"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var controls = box.querySelectorAll("[data-key]");
    var count = box.querySelector(".stdhub-count");
    // the counts in the options follow the rows (statuses may have changed since the build)
    Array.prototype.forEach.call(box.querySelectorAll("select[data-key]"), function (select) {
      var key = select.getAttribute("data-key"), counts = {};
      rows.forEach(function (row) {
        (row.getAttribute("data-" + key) || "").split("|").forEach(function (v) {
          if (v) counts[v] = (counts[v] || 0) + 1;
        });
      });
      Array.prototype.forEach.call(select.options, function (o) {
        if (o.value) { o.textContent = o.value + "（" + (counts[o.value] || 0) + "）"; delete counts[o.value]; }
      });
      Object.keys(counts).forEach(function (v) { select.add(new Option(v + "（" + counts[v] + "）", v)); });
    });
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
      if (count) {
        count.textContent = shown ? "显示 " + shown + " / " + rows.length + " 项"
          : "没有符合条件的项（共 " + rows.length + " 项）：请减少筛选条件或换一个关键字";
      }
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

  /* 意见反馈 on the page: a link to the feedback service's form opens that form in a
     dialog over the page (the same form, framed); without this script, or with a modifier
     key, the link opens the form on its own page. */
  function setupFeedback() {
    if (typeof HTMLDialogElement !== "function") return;
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest('a[href*="/feedback/new?"]');
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      var dialog = document.createElement("dialog");
      dialog.className = "stdhub-feedback-dialog";
      dialog.setAttribute("aria-label", "提出意见");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "stdhub-feedback-close";
      close.textContent = "关闭";
      close.addEventListener("click", function () { dialog.close(); });
      var frame = document.createElement("iframe");
      frame.src = link.href;
      frame.title = "意见表";
      dialog.appendChild(close);
      dialog.appendChild(frame);
      // the form's 返回原页面 leads the whole window to the clause: the dialog is done
      var done = function () { if (dialog.open) dialog.close(); };
      window.addEventListener("hashchange", done);
      dialog.addEventListener("close", function () {
        window.removeEventListener("hashchange", done);
        dialog.remove();
        link.focus();
      });
      document.body.appendChild(dialog);
      dialog.showModal();
    });
  }

  function init() {
    // the theme's search dialog has no accessible name (axe: aria-dialog-name)
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
    setupLive();
    Array.prototype.forEach.call(document.querySelectorAll("[data-stdhub-filter]"), setupFilter);
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), setupSort);
    setupFeedback();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
