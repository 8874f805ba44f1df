/* stdhub: derive statuses on the reader's day; filter (in the address) and sort the
   catalogue and list tables; the home page's finder. Without this script the pages show
   the status of the day they were built, the whole table and the counts; nothing is lost
   but the filtering; and the 关怀模式 switch. */
(function () {
  "use strict";
  document.documentElement.classList.add("stdhub-js");

  /* Truth at reading time: the status a page shows is derived again from the dates it
     carries (data-recorded, data-start, data-end, data-effective, data-ends, data-ends-as),
     the way Standard.display_status derives it at build time, on today's date in China. */
  var BADGES = { "现行": "current", "即将实施": "upcoming", "已批准": "upcoming",
    "征求意见中": "consulting", "即将征求意见": "draft", "征求意见已截止": "closed",
    "被代替": "old", "废止": "withdrawn" };  // = stdhub.site.status.BADGES

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
    var ends = dates.getAttribute("data-ends"), endsAs = dates.getAttribute("data-ends-as");
    if (recorded === "征求意见") {
      if (end && day > end) return "征求意见已截止";
      if (start && day < start) return "即将征求意见";
      return "征求意见中";
    }
    if (ends && day >= ends) return endsAs;
    if (effective && day < effective) return "即将实施";
    return effective || recorded === "现行" ? "现行" : "已批准";
  }

  /* The day statuses are derived for: the reader's today, or the day asked for in the
     address (?on=YYYY-MM-DD: "which editions were in force on that day"). */
  function readingDay() {
    var on = new URLSearchParams(window.location.search).get("on") || "";
    return /^\d{4}-\d\d-\d\d$/.test(on) ? on : today();
  }

  function daysBetween(from, to) {
    return Math.round((Date.parse(to + "T00:00:00Z") - Date.parse(from + "T00:00:00Z")) / 86400000);
  }

  function setupLive() {
    var day = readingDay();
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
    // a history event recorded ahead of its day is marked 预定 until the day comes
    Array.prototype.forEach.call(document.querySelectorAll("[data-stdhub-until]"), function (el) {
      el.hidden = day >= el.getAttribute("data-stdhub-until");
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-stdhub-days]"), function (el) {
      var left = daysBetween(day, el.getAttribute("data-stdhub-days"));
      el.hidden = left < 0;
      el.textContent = left > 0 ? "（还有 " + left + " 天）" : "（今天截止）";
    });
  }

  /* Filters live in the address (?kind=…&status=…&text=…): a filtered view can be shared
     and reloaded, and the back button steps back through the choices made. Other
     parameters of the address (the theme's ?q= search) are left as they are. */
  function setupFilter(box) {
    var table = document.getElementById(box.getAttribute("data-stdhub-filter"));
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var controls = Array.prototype.slice.call(box.querySelectorAll("[data-key]"));
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
    function matches(row, c) {
      var want = c.value.trim().toLowerCase();
      if (!want) return true;
      var key = c.getAttribute("data-key");
      // in force on a day: the row's status derived for that day (setupLive has shown it)
      if (key === "on") return row.getAttribute("data-status") === "现行";
      if (key === "text") {
        var text = (row.textContent + " " + (row.getAttribute("data-terms") || "")).toLowerCase();
        return want.split(/\s+/).every(function (w) { return text.indexOf(w) >= 0; });
      }
      return (row.getAttribute("data-" + key) || "").toLowerCase().split("|").indexOf(want) >= 0;
    }
    function apply() {
      setupLive();  // the statuses of the day asked for (?on=), else of today
      var shown = 0;
      rows.forEach(function (row) {
        var ok = controls.every(function (c) { return matches(row, c); });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (!count) return;
      count.textContent = "";
      if (shown) {
        count.textContent = "显示 " + shown + " / " + rows.length + " 项";
        count.classList.remove("stdhub-empty");
      } else {
        count.textContent = "没有符合条件的项（共 " + rows.length + " 项）：请减少筛选条件或换一个关键字。";
        count.classList.add("stdhub-empty");
      }
      if (controls.some(function (c) { return c.value; })) {
        var clear = document.createElement("button");
        clear.type = "button";
        clear.className = "stdhub-clear";
        clear.textContent = "清除筛选";
        clear.addEventListener("click", function () {
          controls.forEach(function (c) { c.value = ""; });
          update(true);
        });
        count.appendChild(document.createTextNode(" "));
        count.appendChild(clear);
      }
    }
    function fromAddress() {
      var params = new URLSearchParams(window.location.search);
      controls.forEach(function (c) {
        var value = params.get(c.getAttribute("data-key")) || "";
        if (c.tagName === "SELECT" && value &&
            !Array.prototype.some.call(c.options, function (o) { return o.value === value; })) {
          c.add(new Option(value + "（0）", value));  // a value no row has: nothing matches
        }
        c.value = value;
      });
      apply();
    }
    function update(push) {
      var params = new URLSearchParams(window.location.search);
      controls.forEach(function (c) {
        var key = c.getAttribute("data-key"), value = c.value.trim();
        if (value) params.set(key, value); else params.delete(key);
      });
      var query = params.toString();
      var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (address !== window.location.pathname + window.location.search + window.location.hash) {
        history[push ? "pushState" : "replaceState"](null, "", address);
      }
      apply();
    }
    controls.forEach(function (c) {
      // a choice is a step back can undo; typing replaces the step until the text is done
      if (c.tagName === "SELECT") c.addEventListener("change", function () { update(true); });
      else {
        var typing = false;
        c.addEventListener("input", function () { update(!typing); typing = true; });
        c.addEventListener("change", function () { typing = false; });
      }
    });
    window.addEventListener("popstate", fromAddress);
    fromAddress();
  }

  /* The home page's finder: a text alone is looked up with the site's own search (the
     theme's search dialog, opened with the text); a status or kind goes to the catalogue
     with the filters in its address. Without the script the form goes to the catalogue. */
  function setupFinder(form) {
    form.addEventListener("submit", function (event) {
      var text = form.elements.text.value.trim();
      if (!text || form.elements.status.value || form.elements.kind.value) return;
      var toggle = document.getElementById("__search");
      var input = document.querySelector("input.md-search__input");
      if (!toggle || !input) return;
      event.preventDefault();
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
      input.value = text;
      input.focus();
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true, key: "End" }));
    });
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
    Array.prototype.forEach.call(document.querySelectorAll("form[data-stdhub-finder]"), setupFinder);
    setupFeedback();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
