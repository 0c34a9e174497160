// The web edition's script: reading settings and typed answers kept on this device (localStorage),
// answers saved as a file to hand in, quizzes that check themselves. Nothing is sent anywhere.
(function () {
  "use strict";
  var root = document.documentElement;
  var words = JSON.parse(document.getElementById("lp-words").textContent);
  var key = "lessonpack:" + root.getAttribute("data-pack");
  var SETTINGS = ["size", "line", "letter", "theme", "font"];

  function load(name) {
    try { return JSON.parse(window.localStorage.getItem(key + ":" + name) || "{}"); } catch (e) { return {}; }
  }
  function store(name, value) {
    try { window.localStorage.setItem(key + ":" + name, JSON.stringify(value)); return true; } catch (e) { return false; }
  }

  // Settings: each select sets a data- attribute on the page, remembered for every pack.
  var settings = {};
  try { settings = JSON.parse(window.localStorage.getItem("lessonpack:settings") || "{}"); } catch (e) { settings = {}; }
  function apply() {
    SETTINGS.forEach(function (name) {
      var v = settings[name];
      if (v && v !== "0" && v !== "auto") { root.setAttribute("data-" + name, v); } else { root.removeAttribute("data-" + name); }
      var select = document.getElementById("set-" + name);
      if (select) { select.value = v || select.options[0].value; }
    });
  }
  apply();
  SETTINGS.forEach(function (name) {
    var select = document.getElementById("set-" + name);
    if (!select) { return; }
    select.addEventListener("change", function () {
      settings[name] = select.value;
      try { window.localStorage.setItem("lessonpack:settings", JSON.stringify(settings)); } catch (e) { /* kept for this visit */ }
      apply();
    });
  });
  var reset = document.getElementById("reset");
  if (reset) {
    reset.addEventListener("click", function () {
      settings = {};
      try { window.localStorage.removeItem("lessonpack:settings"); } catch (e) { /* nothing kept */ }
      apply();
    });
  }

  // Quizzes: say right or wrong, with the right answer, as soon as a choice is made.
  function check(fieldset) {
    var answer = fieldset.getAttribute("data-answer");
    var chosen = fieldset.querySelector("input[type=radio]:checked");
    var out = fieldset.querySelector(".feedback");
    if (!answer || !out) { return; }
    fieldset.querySelectorAll(".choice").forEach(function (c) { c.classList.remove("chosen-right", "chosen-wrong", "is-answer"); });
    if (!chosen) { out.textContent = ""; out.className = "feedback"; return; }
    var right = chosen.value === answer;
    chosen.parentNode.classList.add(right ? "chosen-right" : "chosen-wrong");
    if (right) {
      out.textContent = words.right;
    } else {
      var correct = null;
      fieldset.querySelectorAll("input[type=radio]").forEach(function (r) { if (r.value === answer) { correct = r; } });
      out.textContent = words.wrong + " " + answer + ": " + (correct ? correct.getAttribute("data-text") : "") + ".";
      if (correct) { correct.parentNode.classList.add("is-answer"); }
    }
    out.className = "feedback " + (right ? "right" : "wrong");
  }

  // Answers: every field marked data-keep is kept as it changes and put back when the page opens.
  var fields = Array.prototype.slice.call(document.querySelectorAll("[data-keep]"));
  var answers = load("answers");
  var status = document.getElementById("status");
  fields.forEach(function (f) {
    var saved = answers[f.name];
    if (saved !== undefined) {
      if (f.type === "radio") { f.checked = f.value === saved; } else { f.value = saved; }
    }
  });
  document.querySelectorAll("fieldset.quiz").forEach(check);
  function keep(event) {
    var f = event.target;
    if (!f.hasAttribute || !f.hasAttribute("data-keep")) { return; }
    answers[f.name] = f.value;
    if (f.type === "radio") { check(f.closest("fieldset")); }
    if (store("answers", answers) && status) { status.textContent = words.saved; }
  }
  document.addEventListener("input", keep);
  document.addEventListener("change", keep);

  // Save the answers as a plain-text file: each question (or field) and what was typed or chosen.
  function describe(f) {
    var ids = (f.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    var about = ids.map(function (id) { var el = document.getElementById(id); return el ? el.textContent : ""; }).join(" ");
    var label = f.labels && f.labels.length ? f.labels[0].textContent : (f.getAttribute("aria-label") || "");
    return (about ? about + "\n" : "") + label;
  }
  function text() {
    var lines = [document.title, ""];
    var done = {};
    var last = "";
    fields.forEach(function (f) {
      if (f.type === "radio") {
        if (done[f.name]) { return; }
        done[f.name] = true;
        var set = f.closest("fieldset");
        var chosen = set.querySelector("input[type=radio]:checked");
        lines.push(set.querySelector("legend").textContent);
        lines.push(chosen ? chosen.value + ". " + chosen.getAttribute("data-text") : words.no_answer);
      } else {
        var about = describe(f);
        // A table's cells share what they answer: say it once, before the first.
        var head = about.split("\n")[0];
        if (about.indexOf("\n") > 0 && head === last) { about = about.slice(head.length + 1); } else { last = head; }
        lines.push(about);
        lines.push(f.value.trim() ? f.value : words.no_answer);
      }
      lines.push("");
    });
    return lines.join("\r\n");
  }
  var save = document.getElementById("save");
  if (save) {
    save.addEventListener("click", function () {
      var blob = new Blob([text()], { type: "text/plain;charset=utf-8" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = document.title.replace(/[\\/:*?"<>|]+/g, " ") + " - " + words.answers_file + ".txt";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
  }
  var clear = document.getElementById("clear");
  if (clear) {
    clear.addEventListener("click", function () {
      if (!window.confirm(words.clear_confirm)) { return; }
      answers = {};
      store("answers", answers);
      fields.forEach(function (f) { if (f.type === "radio") { f.checked = false; } else { f.value = ""; } });
      document.querySelectorAll("fieldset.quiz").forEach(check);
    });
  }
  var printer = document.getElementById("print");
  if (printer) { printer.addEventListener("click", function () { window.print(); }); }

  // With script the tools work: show them, and say how answers are kept.
  document.getElementById("tools").hidden = false;
  if (status) { status.textContent = words.kept; }
}());
