/* stdhub: 关怀模式 (适老化, issue 24), on the site (mkdocs.yml extra_javascript) and on
   Datasette's pages (copied into its static/ folder: stdhub.datasette.configdir).
   The switch above the content turns the mode on and off (data-care="1" on <html>, styled
   by care.css on the site, by base.html's styles on Datasette) and remembers the choice in
   localStorage; a script in each page's head applies it before the first paint, and an
   address ending in `#care` turns it on. 朗读 reads the article aloud where the browser can
   (speechSynthesis), one paragraph at a time. */
(function () {
  "use strict";
  var CARE_KEY = "stdhub-care";

  function setupCare() {
    var root = document.documentElement;
    var button = document.querySelector(".stdhub-care__switch");
    var read = document.querySelector(".stdhub-care__read");
    if (!button) return;
    var speech = "speechSynthesis" in window && typeof SpeechSynthesisUtterance === "function";
    function stopReading() {
      if (speech) window.speechSynthesis.cancel();
      if (read) read.textContent = "朗读";
    }
    function show(on) {
      if (on) root.setAttribute("data-care", "1"); else root.removeAttribute("data-care");
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "退出关怀模式" : "关怀模式";
      if (read) read.hidden = !(on && speech);
      if (!on) stopReading();
    }
    function remember(on) {
      try { localStorage.setItem(CARE_KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
    }
    button.hidden = false;
    show(root.hasAttribute("data-care"));
    button.addEventListener("click", function () {
      var on = !root.hasAttribute("data-care");
      remember(on);
      show(on);
      if (!on && window.location.hash === "#care") {
        history.replaceState(null, "", window.location.pathname + window.location.search);
      }
    });
    window.addEventListener("hashchange", function () {
      if (window.location.hash === "#care") { remember(true); show(true); }
    });
    if (!read || !speech) return;
    read.addEventListener("click", function () {
      if (read.textContent !== "朗读") { stopReading(); return; }
      var article = document.querySelector("article.md-content__inner");
      if (!article) return;
      var parts = article.innerText.replace(/¶/g, "").split(/\n+/).map(function (t) {
        return t.trim();
      }).filter(Boolean);
      if (!parts.length) return;
      window.speechSynthesis.cancel();
      read.textContent = "停止朗读";
      parts.forEach(function (text, i) {
        var utterance = new SpeechSynthesisUtterance(text);
        utterance.lang = "zh-CN";
        if (i === parts.length - 1) utterance.onend = function () { read.textContent = "朗读"; };
        window.speechSynthesis.speak(utterance);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupCare);
  else setupCare();
})();
