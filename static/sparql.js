/* NQDB SPARQL page: a highlighted query editor, example queries, a results table and downloads.
   Hand-written, no dependencies, works offline. */
(function () {
  "use strict";
  var KEYWORDS = ("BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED GRAPH OPTIONAL UNION MINUS " +
    "FILTER BIND VALUES SERVICE SILENT AS DISTINCT REDUCED ORDER BY ASC DESC LIMIT OFFSET GROUP HAVING " +
    "NOT EXISTS IN UNDEF A TRUE FALSE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG " +
    "LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE " +
    "ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS " +
    "TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM " +
    "ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE").split(" ");
  var KEYWORD_SET = {};
  KEYWORDS.forEach(function (k) { KEYWORD_SET[k] = true; });
  var TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][A-Za-z_0-9]+)|((?:[A-Za-z][\w.-]*)?:[\w.:%-]*)|([A-Za-z_][A-Za-z_0-9]*)|(\d+(?:\.\d+)?)/g;

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(text) {
    var out = "", last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      out += escapeHtml(text.slice(last, match.index));
      var cls = match[1] ? "c" : match[2] ? "s" : match[3] ? "i" : match[4] ? "v" : match[5] ? "p" :
        match[6] ? (KEYWORD_SET[match[6].toUpperCase()] ? "k" : "") : "n";
      out += cls ? '<span class="t-' + cls + '">' + escapeHtml(match[0]) + "</span>" : escapeHtml(match[0]);
      last = TOKEN.lastIndex;
    }
    return out + escapeHtml(text.slice(last)) + "\n";
  }

  /* Only http, https and mailto addresses become links (as portal/link_safety.py decides for the pages):
     an IRI such as javascript:alert(1) from the data is shown as text. Matched from the first character,
     so a leading space or control character (which browsers strip) makes it text too. */
  var WEB_LINK = /^(?:https?:\/\/|mailto:)[^\s\x00-\x1f\x7f]/i;

  function webLink(value) {
    return typeof value === "string" && WEB_LINK.test(value);
  }

  function termCell(term) {
    var cell = document.createElement("td");
    if (!term) { return cell; }
    if (term.type === "uri" && webLink(term.value)) {
      var link = document.createElement("a");
      link.href = term.value;
      link.textContent = term.value;
      cell.appendChild(link);
    } else if (term.type === "uri") {
      var code = document.createElement("code");
      code.className = "not-a-link";
      code.textContent = term.value;
      cell.appendChild(code);
    } else {
      cell.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
      if (term["xml:lang"]) {
        cell.lang = term["xml:lang"];
        var tag = document.createElement("span");
        tag.className = "lang";
        tag.textContent = "@" + term["xml:lang"];
        cell.appendChild(tag);
      }
    }
    return cell;
  }

  function renderSolutions(data, target) {
    if (typeof data.boolean === "boolean") {
      target.textContent = data.boolean ? "true" : "false";
      return "ASK: " + data.boolean;
    }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = document.createElement("table"), head = table.createTHead().insertRow();
    vars.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = "?" + name;
      head.appendChild(th);
    });
    var body = table.createTBody();
    rows.forEach(function (row) {
      var tr = body.insertRow();
      vars.forEach(function (name) { tr.appendChild(termCell(row[name])); });
    });
    target.appendChild(table);
    return rows.length + (rows.length === 1 ? " row" : " rows");
  }

  function send(query, accept) {
    return fetch(document.getElementById("sparql-form").action, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": accept },
      body: new URLSearchParams({ query: query })
    });
  }

  function problemText(response) {
    return response.text().then(function (text) {
      try {
        var problem = JSON.parse(text), where = problem.line ? " (line " + problem.line + ", column " +
          problem.column + ")" : "";
        return response.status + " " + problem.title + ": " + problem.detail + where;
      } catch (e) { return response.status + " " + text; }
    });
  }

  function init() {
    var editor = document.getElementById("query"), painted = document.getElementById("highlight");
    var status = document.getElementById("status"), results = document.getElementById("results");
    if (!editor) { return; }
    var repaint = function () { painted.innerHTML = highlight(editor.value); };
    editor.addEventListener("input", repaint);
    editor.addEventListener("scroll", function () {
      painted.parentNode.scrollTop = editor.scrollTop;
      painted.parentNode.scrollLeft = editor.scrollLeft;
    });
    repaint();
    document.querySelectorAll("button.example").forEach(function (button) {
      button.addEventListener("click", function () {
        editor.value = button.getAttribute("data-query");
        repaint();
        editor.focus();
      });
    });
    document.getElementById("sparql-form").addEventListener("submit", function (event) {
      event.preventDefault();
      status.textContent = "Running…";
      results.textContent = "";
      var started = performance.now();
      send(editor.value, "application/sparql-results+json, text/turtle;q=0.9").then(function (response) {
        if (!response.ok) { return problemText(response).then(function (t) { status.textContent = t; }); }
        var seconds = ((performance.now() - started) / 1000).toFixed(2) + " s";
        var truncated = response.headers.get("NQDB-Truncated") === "true" ?
          " — capped at " + response.headers.get("NQDB-Row-Limit") + " rows" : "";
        if ((response.headers.get("Content-Type") || "").indexOf("json") >= 0) {
          return response.json().then(function (data) {
            status.textContent = renderSolutions(data, results) + " in " + seconds + truncated;
          });
        }
        return response.text().then(function (text) {
          var pre = document.createElement("pre");
          pre.textContent = text;
          results.appendChild(pre);
          status.textContent = "Graph in " + seconds;
        });
      }).catch(function (error) { status.textContent = "The request failed: " + error; });
    });
    document.getElementById("download").addEventListener("click", function () {
      var choice = document.getElementById("download-format");
      var option = choice.options[choice.selectedIndex];
      send(editor.value, option.value).then(function (response) {
        if (!response.ok) { return problemText(response).then(function (t) { status.textContent = t; }); }
        return response.blob().then(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = "results." + option.getAttribute("data-ext");
          document.body.appendChild(link);
          link.click();
          link.remove();
          status.textContent = "Downloaded results." + option.getAttribute("data-ext");
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else { init(); }
  window.nqdbHighlightSparql = highlight;
  window.nqdbWebLink = webLink;
}());
