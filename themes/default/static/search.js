/* carebook offline search. Plain ES2018, no libraries, no modules, works from file://.
 *
 * Loaded by static/site.js when a reader first goes to a search box (site.js has already
 * swapped <html class="no-js"> to "js"; CSS hides the search box without JavaScript); it wires
 * up every form.search once the page is parsed.
 *
 * The build writes an inverted index under search/ as classic scripts (fetch/XHR and modules
 * do not work on file://), each calling a function defined here:
 *   search/index.js  CAREBOOK_SEARCH_INDEX({lang, n, kinds, terms, df, shards, docs})  the sorted
 *                    terms and how many documents hold each; shard K holds the next shards[K]
 *                    terms; each dB.js file holds `docs` consecutive documents
 *   search/sK.js     CAREBOOK_SEARCH_SHARD(K, {term: "postings", "term next": "docs",
 *                    "=term next": "docs"})  postings as text (decode() below); pairs are titles'
 *                    and other names' adjacent words (phrase bonus), "=" whole names. Flags of a
 *                    posting: 1 title, 2 other name, 4 heading
 *   search/dB.js     CAREBOOK_SEARCH_DOC(N, {t, u, k, s, x}) per document N of file B: title,
 *                    address, kind, summary and sentences, for the result list and its snippet
 * A query loads index.js once, then only the shards of its words and the documents shown; the
 * box asks for index.js when the reader comes to it, and for the rest at each key press (prefetch),
 * so that the files load while its debounce waits.
 *
 * Ranking: BM25F (impacts computed by the build, times the IDF here); function words are never
 * required; the last word also matches as a prefix while it is typed; typos are forgiven (one
 * edit in words of 4-7 letters, two in longer ones, the first letter kept; exact forms first);
 * words side by side in a title or other name earn a bonus; a page whose title or other names
 * hold every query word ranks above one whose do not. A weak best match shows "No matches".
 *
 * The words are made exactly as the Rust build makes them (src/search/text.rs, stem.rs):
 * Unicode words, lower case, accents folded (FOLD_FROM/FOLD_TO), stop words, Snowball English or Russian
 * by the index's lang.
 *
 * In Node (no DOM) this file exports the engine (module.exports) for tests/search/eval.js.
 *
 * The input is an ARIA combobox with a listbox of links: arrow keys move through the
 * results, Enter opens the highlighted one, Escape closes the list. The number of results
 * is announced through a polite live region.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 10;
  // Documents kept loaded at most (see used()): many times the results shown at once, a few
  // MB at most (a page's text is a few KB).
  var MAX_DOCS = 1000;
  // Documents whose words are kept split for snippets and proximity (tens of KB each).
  var MAX_TEXTS = 60;
  // Characters of index shards kept loaded at most (their decoded postings take about as much
  // again): a query needs a handful of shards, typing one query after another a few dozen.
  var MAX_SHARD_CHARS = 4000000;
  // Free pages (about, glossary) are rarely what a worried reader wants.
  var KIND_BOOST = { g: 1, s: 1, c: 0.9, p: 0.7 };
  // How much a match counts by how it matched the query word.
  var MATCH = { exact: 1, form: 0.9, prefix: 0.75, typo1: 0.6, typo2: 0.45 };
  // How much a match says that the page fits the query (the "No matches" threshold).
  var FIT = { exact: 1, form: 1, prefix: 0.9, typo1: 0.85, typo: 0.7 };
  var PHRASE_BONUS = 1.3;
  // Up to this much more for a page with every query word in one sentence.
  var PROXIMITY = 0.25;
  // How well the best page must fit the query, 0 to 1 (1: every word in a title), or nothing
  // is shown: chosen on the judged queries of tests/search/queries.json.
  var MIN_QUALITY = 0.355;
  // Results scoring less than this share of the first are noise.
  var MIN_SHARE = 0.15;
  var SNIPPET_CHARS = 160;
  // The digits of the index's postings text (src/search/mod.rs DIGITS).
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

  /* ---- Words: the same rules as src/search/text.rs. */
  var FOLD_FROM = "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżžё";
  var FOLD_TO = "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzzе";
  var FOLD = {};
  for (var fi = 0; fi < FOLD_FROM.length; fi++) FOLD[FOLD_FROM.charAt(fi)] = FOLD_TO.charAt(fi);
  FOLD["ß"] = "ss";
  FOLD["æ"] = "ae";
  FOLD["œ"] = "oe";
  var STOP_EN = {};
  ("a about after again all am an and any are as at be because been before being both but by can cant " +
    "could did didnt do does doesnt doing dont during each for from get gets getting got had has have having " +
    "he her here him his how i if im in into is isnt it its ive just me my no nor not of off on or our out own " +
    "she should so some such than that the their them then there these they this those to too up us very was " +
    "we were what whats when where which while who why will with would you your youre")
    .split(" ").forEach(function (w) { STOP_EN[w] = true; });

  var WORD_CHAR = /[\p{Alphabetic}\p{N}]/u;

  function foldChar(ch) {
    var l = ch.toLowerCase();
    var out = "";
    for (var i = 0; i < l.length; i++) {
      var c = l.charAt(i);
      out += FOLD[c] || c;
    }
    return out;
  }

  // The words of text with where each is: [{ word, start, end }] (offsets in UTF-16 units).
  // ASCII, most of any text, is handled without regular expressions: this runs over every
  // sentence of the pages shown.
  function wordSpans(text) {
    var s = String(text || "");
    var out = [];
    var cur = "";
    var start = -1;
    var i = 0;
    while (i < s.length) {
      var code = s.charCodeAt(i);
      var ch, next, isWord;
      if (code < 128) {
        ch = s.charAt(i);
        next = i + 1;
        isWord = (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
        if (isWord && code <= 90 && code >= 65) ch = String.fromCharCode(code + 32);
      } else {
        var cp = s.codePointAt(i);
        ch = String.fromCodePoint(cp);
        next = i + ch.length;
        isWord = WORD_CHAR.test(ch);
        if (isWord) ch = foldChar(ch);
      }
      if (isWord) {
        if (!cur) start = i;
        cur += ch;
      } else if ((code === 39 || code === 0x2019) && cur && next < s.length && isWordAt(s, next)) {
        // an apostrophe inside a word: the word goes on ("doesn't" is "doesnt")
      } else if (cur) {
        out.push({ word: cur, start: start, end: i });
        cur = "";
      }
      i = next;
    }
    if (cur) out.push({ word: cur, start: start, end: s.length });
    return out;
  }

  function isWordAt(s, i) {
    var code = s.charCodeAt(i);
    if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
    return WORD_CHAR.test(String.fromCodePoint(s.codePointAt(i)));
  }

  function words(text) {
    return wordSpans(text).map(function (w) { return w.word; });
  }

  /* ---- Snowball English ("Porter2"), as src/search/stem.rs. */
  var EXCEPTION1 = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
    ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
    atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes"
  };
  var EXCEPTION2 = { inning: 1, outing: 1, canning: 1, herring: 1, earring: 1, proceed: 1, exceed: 1, succeed: 1 };
  function isV(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }
  function endsWith(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
  function longest(w, list) {
    var best = null;
    for (var i = 0; i < list.length; i++) {
      var s = typeof list[i] === "string" ? list[i] : list[i][0];
      if (endsWith(w, s) && (best === null || s.length > (typeof best === "string" ? best : best[0]).length)) best = list[i];
    }
    return best;
  }
  function hasVowel(w, end) {
    for (var i = 0; i < end; i++) if (isV(w.charAt(i))) return true;
    return false;
  }
  function shortSyllable(w) {
    var n = w.length;
    if (n === 2) return isV(w.charAt(0)) && !isV(w.charAt(1));
    if (n < 3) return false;
    var last = w.charAt(n - 1);
    return !isV(w.charAt(n - 3)) && isV(w.charAt(n - 2)) && !isV(last) && last !== "w" && last !== "x" && last !== "Y";
  }
  function regions(w) {
    function afterVC(from) {
      var i = from;
      while (i < w.length && !isV(w.charAt(i))) i++;
      while (i < w.length && isV(w.charAt(i))) i++;
      return Math.min(i + 1, w.length);
    }
    var p1;
    if (w.indexOf("gener") === 0) p1 = 5;
    else if (w.indexOf("commun") === 0) p1 = 6;
    else if (w.indexOf("arsen") === 0) p1 = 5;
    else p1 = afterVC(0);
    return [p1, afterVC(p1)];
  }
  var STEP2 = [["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["abli", "able"], ["entli", "ent"],
    ["izer", "ize"], ["ization", "ize"], ["ational", "ate"], ["ation", "ate"], ["ator", "ate"], ["alism", "al"],
    ["aliti", "al"], ["alli", "al"], ["fulness", "ful"], ["ousli", "ous"], ["ousness", "ous"], ["iveness", "ive"],
    ["iviti", "ive"], ["biliti", "ble"], ["bli", "ble"], ["ogi", "og"], ["fulli", "ful"], ["lessli", "less"], ["li", ""]];
  var STEP3 = [["tional", "tion"], ["ational", "ate"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
    ["ical", "ic"], ["ful", ""], ["ness", ""], ["ative", ""]];
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti",
    "ous", "ive", "ize", "ion"];

  function stemEnglish(word) {
    if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
    if (Object.prototype.hasOwnProperty.call(EXCEPTION1, word)) return EXCEPTION1[word];
    var w = "";
    for (var i = 0; i < word.length; i++) {
      var c = word.charAt(i);
      w += c === "y" && (i === 0 || isV(word.charAt(i - 1))) ? "Y" : c;
    }
    var r = regions(w);
    var p1 = r[0];
    var p2 = r[1];
    var s, stem;
    // Step 1a
    s = longest(w, ["sses", "ied", "ies", "s", "us", "ss"]);
    if (s === "sses") w = w.slice(0, -2);
    else if (s === "ied" || s === "ies") w = w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
    else if (s === "s" && hasVowel(w, w.length - 2)) w = w.slice(0, -1);
    if (EXCEPTION2[w]) return w.replace(/Y/g, "y");
    // Step 1b
    s = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    if (s === "eed" || s === "eedly") {
      if (w.length - s.length >= p1) w = w.slice(0, w.length - s.length) + "ee";
    } else if (s) {
      stem = w.length - s.length;
      if (hasVowel(w, stem)) {
        w = w.slice(0, stem);
        if (endsWith(w, "at") || endsWith(w, "bl") || endsWith(w, "iz")) w += "e";
        else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
        else if (w.length === p1 && shortSyllable(w)) w += "e";
      }
    }
    // Step 1c
    var n = w.length;
    if (n > 2 && (w.charAt(n - 1) === "y" || w.charAt(n - 1) === "Y") && !isV(w.charAt(n - 2))) w = w.slice(0, -1) + "i";
    // Step 2
    var e = longest(w, STEP2);
    if (e) {
      stem = w.length - e[0].length;
      if (stem >= p1) {
        var before = stem > 0 ? w.charAt(stem - 1) : "";
        if (e[0] === "ogi") { if (before === "l") w = w.slice(0, stem) + e[1]; }
        else if (e[0] === "li") { if ("cdeghkmnrt".indexOf(before) >= 0 && before) w = w.slice(0, stem); }
        else w = w.slice(0, stem) + e[1];
      }
    }
    // Step 3
    e = longest(w, STEP3);
    if (e) {
      stem = w.length - e[0].length;
      if (stem >= p1 && (e[0] !== "ative" || stem >= p2)) w = w.slice(0, stem) + e[1];
    }
    // Step 4
    s = longest(w, STEP4);
    if (s) {
      stem = w.length - s.length;
      if (stem >= p2 && (s !== "ion" || (stem > 0 && (w.charAt(stem - 1) === "s" || w.charAt(stem - 1) === "t")))) {
        w = w.slice(0, stem);
      }
    }
    // Step 5
    n = w.length;
    if (endsWith(w, "e")) {
      if (n - 1 >= p2 || (n - 1 >= p1 && !shortSyllable(w.slice(0, -1)))) w = w.slice(0, -1);
    } else if (endsWith(w, "l") && n - 1 >= p2 && n >= 2 && w.charAt(n - 2) === "l") {
      w = w.slice(0, -1);
    }
    return w.replace(/Y/g, "y");
  }


  /* ---- Snowball Russian, as src/search/stem_ru.rs (the same lists, longest match wins). */
  var STOP_RU = {};
  "а без будет будто бы был была были было быть в вам вас вдруг ведь во вот впрочем все всего всех всю вы где да даже для до другой его ее ей ему если есть еще ж же за зачем здесь и из или им их к как какая какой когда конечно кто куда ли между меня мне может мой моя мы на над надо наконец нас не него нее ней нет ни нибудь ним них ничего но ну о об один он она они опять от перед по под потом потому почти при про раз разве с сам свою себе себя сейчас со совсем так такой там тебя тем теперь то тогда того тоже только том тот тут ты у уж уже хоть чего чем через что чтоб чтобы чуть эти это этого этой этом этот эту я".split(" ").forEach(function (w) { STOP_RU[w] = true; });
  var RU = {
    pg1: ["вшись", "вши", "в"], pg2: ["ившись", "ывшись", "ивши", "ывши", "ив", "ыв"],
    adj: ["ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его", "ого", "ему",
      "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"],
    part1: ["ем", "нн", "вш", "ющ", "щ"], part2: ["ивш", "ывш", "ующ"], refl: ["ся", "сь"],
    verb1: ["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"],
    verb2: ["ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ило",
      "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю"],
    noun: ["а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й", "иям",
      "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я"]
  };
  function isVRu(c) { return "аеиоуыэюя".indexOf(c) >= 0 && c !== ""; }
  function stemRussian(w) {
    var first = -1;
    for (var i = 0; i < w.length; i++) if (isVRu(w.charAt(i))) { first = i; break; }
    if (first < 0) return w;
    var rv = first + 1, r2 = rv;
    [false, true, false].forEach(function (vowel) {
      while (r2 < w.length && isVRu(w.charAt(r2)) !== vowel) r2++;
      r2 = Math.min(r2 + 1, w.length);
    });
    // [length, group] of the longest suffix of w[lo..end] among the lists.
    function longestRu(lo, end, lists) {
      var best = null;
      lists.forEach(function (list, li) {
        list.forEach(function (s) {
          if (lo + s.length <= end && w.slice(end - s.length, end) === s && (!best || s.length > best[0])) best = [s.length, li];
        });
      });
      return best;
    }
    function grouped(end, g1, g2) {
      var m = longestRu(rv, end, [g1, g2]);
      if (!m) return -1;
      var at = end - m[0];
      if (m[1] === 0 && !(at > rv && (w.charAt(at - 1) === "а" || w.charAt(at - 1) === "я"))) return -1;
      return at;
    }
    function plain(end, list) { var m = longestRu(rv, end, [list]); return m ? end - m[0] : -1; }
    function adjectival(end) {
      var at = plain(end, RU.adj);
      if (at < 0) return -1;
      var p = grouped(at, RU.part1, RU.part2);
      return p >= 0 ? p : at;
    }
    var end = w.length, at = grouped(end, RU.pg1, RU.pg2);
    if (at >= 0) end = at;
    else {
      at = plain(end, RU.refl);
      if (at >= 0) end = at;
      at = adjectival(end);
      if (at < 0) at = grouped(end, RU.verb1, RU.verb2);
      if (at < 0) at = plain(end, RU.noun);
      if (at >= 0) end = at;
    }
    if (end > rv && w.charAt(end - 1) === "и") end--;
    var m = longestRu(rv, end, [["ост", "ость"]]);
    if (m && end - m[0] >= Math.max(r2, rv)) end -= m[0];
    m = longestRu(rv, end, [["ейше", "ейш", "н", "ь"]]);
    if (m) {
      var last = w.charAt(end - 1);
      if (last === "н") { if (end - 1 > rv && w.charAt(end - 2) === "н") end--; }
      else if (last === "ь") end--;
      else {
        end -= m[0];
        if (end >= rv + 2 && w.charAt(end - 1) === "н" && w.charAt(end - 2) === "н") end--;
      }
    }
    return w.slice(0, end);
  }

  // Nouns in -ит whose forms Snowball stems apart (мастит, мастите → маст; мастита → мастит): a
  // word starting with one has it as its term, as KEEP_WHOLE in src/search/stem_ru.rs.
  var RU_KEEP = [];
  "аппетит артрит бронхит бурсит вагинит визит вульвит гайморит гастрит гепатит дерматит кольпит конъюнктивит ларингит лимфаденит мастит менингит миозит неврит омфалит отит паротит ринит синусит стоматит тонзиллит трахеит тромбофлебит фарингит флебит целлюлит цистит эндометрит энцефалит".split(" ").forEach(function (w) { RU_KEEP.push(w); });
  function termRussian(w) {
    for (var i = 0; i < RU_KEEP.length; i++) if (w.lastIndexOf(RU_KEEP[i], 0) === 0) return RU_KEEP[i];
    return stemRussian(w);
  }

  function language(lang) {
    var en = lang === "en", ru = lang === "ru";
    return {
      stop: function (w) { return en ? STOP_EN[w] === true : ru && STOP_RU[w] === true; },
      stem: function (w) { return en ? stemEnglish(w) : ru ? termRussian(w) : w; }
    };
  }

  /* ---- Edit distance, bounded: more than max is reported as max + 1. */
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [];
    var cur = [];
    var j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1));
        cur[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }

  /* ---- The engine: index, planning, ranking, snippets. No DOM: tests run it in Node.
     load(name, done) loads search/<name> (a script calling the CAREBOOK_SEARCH_* functions,
     which the caller routes to engine.add*) and calls done(ok). */
  function createEngine(load) {
    var meta = null;
    var terms = [];
    var termIndex = {};
    var shardOf = [];
    var shards = {};
    var docs = {};
    var lang = language("");
    var minFit = MIN_QUALITY;
    var indexState = "idle";
    var waitingIndex = [];

    function setIndex(m) {
      meta = m;
      terms = String(m.terms || "").split(" ");
      if (terms.length === 1 && terms[0] === "") terms = [];
      termIndex = {};
      if (typoMemo) typoMemo.clear();
      for (var i = 0; i < terms.length; i++) termIndex[terms[i]] = i;
      shardOf = [];
      var counts = m.shards || [];
      for (var k = 0; k < counts.length; k++) for (var c = 0; c < counts[k]; c++) shardOf.push(k);
      lang = language(m.lang);
    }

    // Loads index.js once, then done(ok). A load that failed (a file not there yet, a reader
    // offline) is not remembered: those waiting hear false, and the next call tries again.
    function ensureIndex(done) {
      if (indexState === "ready") { done(true); return; }
      waitingIndex.push(done);
      if (indexState === "loading") return;
      indexState = "loading";
      load("index.js", function (ok) {
        indexState = ok && meta ? "ready" : "idle";
        var list = waitingIndex;
        waitingIndex = [];
        for (var i = 0; i < list.length; i++) list[i](indexState === "ready");
      });
    }

    // Loads every file in names not yet loaded (have(name) says whether it is), then done().
    // Nothing remembers a load that failed: the file is asked for again by the next call.
    var pending = {};
    function ensureAll(names, have, done) {
      // One extra count until every load has started: a loader may answer at once.
      var left = 1;
      var finished = false;
      function one() {
        left--;
        if (left === 0 && !finished) { finished = true; done(); }
      }
      names.forEach(function (name) {
        if (have(name)) return;
        left++;
        if (pending[name]) { pending[name].push(one); return; }
        pending[name] = [one];
        load(name, function () {
          var list = pending[name];
          delete pending[name];
          list.forEach(function (f) { f(); });
        });
      });
      one();
    }

    // The first index of a term >= s (terms are sorted).
    function lowerBound(s) {
      var lo = 0;
      var hi = terms.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (terms[mid] < s) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
    function withPrefix(p, limit) {
      var out = [];
      for (var i = lowerBound(p); i < terms.length && terms[i].lastIndexOf(p, 0) === 0; i++) out.push(i);
      if (limit && out.length > limit) {
        out.sort(function (a, b) { return meta.df[b] - meta.df[a] || a - b; });
        out = out.slice(0, limit);
      }
      return out;
    }

    // The closest terms to a misspelt word (one edit in words of 4-7 letters, two in longer
    // ones, the first letter kept): [{ ti, d }], at most 4. Remembered for the last words seen:
    // the words before the one being typed come back on every keystroke.
    var typoMemo = new Map();
    function typos(t) {
      var memo = typoMemo.get(t.word);
      if (memo) return memo;
      var max = t.word.length >= 8 ? 2 : 1;
      var maxStem = t.stem.length >= 8 ? 2 : t.stem.length >= 4 ? 1 : 0;
      var found = [];
      var first = t.word.charAt(0);
      for (var ti = lowerBound(first); ti < terms.length && terms[ti].charAt(0) === first; ti++) {
        var term = terms[ti];
        if (term.indexOf(" ") >= 0) continue;
        // The budget goes by the length of what is compared: "teething" may lose two
        // letters, its stem "teeth" only one.
        var dw = editDistance(t.word, term, max);
        var ds = editDistance(t.stem, term, maxStem);
        var d = Math.min(dw <= max ? dw : 9, ds <= maxStem ? ds : 9);
        if (d <= max) found.push({ ti: ti, d: d });
      }
      found.sort(function (a, b) { return a.d - b.d || meta.df[b.ti] - meta.df[a.ti]; });
      found = found.slice(0, 4);
      typoMemo.set(t.word, found);
      if (typoMemo.size > 64) typoMemo.delete(typoMemo.keys().next().value);
      return found;
    }

    // What the query asks for: its content words, each with the index terms it may match.
    function plan(query) {
      var raw = words(query);
      var open = !/[\s\p{P}]$/u.test(String(query || "")); // the last word is still being typed
      var kept = raw.filter(function (w) { return !lang.stop(w); });
      // A query of function words only ("what is it") keeps them: better than nothing.
      var useStop = kept.length === 0;
      var list = useStop ? raw : kept;
      var tokens = [];
      for (var i = 0; i < list.length; i++) {
        var w = list[i];
        var isLast = open && raw.length > 0 && w === raw[raw.length - 1] && i === list.length - 1;
        tokens.push({ word: w, stem: lang.stem(w), last: isLast, cands: [] });
      }
      tokens.forEach(function (t) {
        var seen = {};
        function add(ti, weight, how) {
          if (seen[ti] !== undefined && seen[ti] >= weight) return;
          seen[ti] = weight;
          t.cands.push({ ti: ti, term: terms[ti], w: weight, how: how });
        }
        var exact = termIndex[t.stem];
        if (exact !== undefined) add(exact, MATCH.exact, "exact");
        if (termIndex[t.word] !== undefined) add(termIndex[t.word], MATCH.exact, "exact");
        // Other forms of the same word the stemmer left apart ("breastfe", "breastfeed").
        if (t.stem.length >= 4) {
          withPrefix(t.stem).forEach(function (ti) {
            var rest = terms[ti].slice(t.stem.length);
            if (rest === "e" || rest === "ed" || rest === "d") add(ti, MATCH.form, "form");
          });
        }
        if (t.last) {
          var limit = t.word.length < 3 ? 3 : 8;
          withPrefix(t.word, limit).forEach(function (ti) { add(ti, MATCH.prefix, "prefix"); });
        }
        if (t.cands.length === 0 && t.word.length >= 4) {
          typos(t).forEach(function (c) { add(c.ti, c.d === 1 ? MATCH.typo1 : MATCH.typo2, c.d === 1 ? "typo1" : "typo"); });
        }
      });
      return { tokens: tokens.filter(function (t) { return t.cands.length > 0; }), all: tokens };
    }

    function shardNames(p) {
      var need = {};
      p.tokens.forEach(function (t) { t.cands.forEach(function (c) { need[shardOf[c.ti]] = true; }); });
      return Object.keys(need).map(function (k) { return "s" + k + ".js"; });
    }

    function idf(df) {
      var n = meta.n;
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }

    /* Postings arrive as text (see src/search/mod.rs): DIGITS, numbers in base 32 with every
       digit but a number's last raised by 32. Decoded once per term into typed arrays. */
    var DIGIT = new Int8Array(128).fill(-1);
    for (var di = 0; di < DIGITS.length; di++) DIGIT[DIGITS.charCodeAt(di)] = di;

    // The documents of a list (and with `values`, each one's impact*8+flags):
    // { docs: Int32Array, vals: Uint16Array | null, n }.
    function decode(text, values) {
      // A posting takes at least one digit, or three with its value.
      var most = values ? Math.ceil(text.length / 3) : text.length;
      var docs = new Int32Array(most);
      var vals = values ? new Uint16Array(most) : null;
      var n = 0;
      var doc = 0;
      var i = 0;
      while (i < text.length) {
        var v = 0;
        var c;
        while ((c = DIGIT[text.charCodeAt(i++)]) >= 32) v = (v << 5) | (c - 32);
        doc += (v << 5) | c;
        docs[n] = doc;
        if (values) {
          vals[n] = (DIGIT[text.charCodeAt(i)] << 6) | DIGIT[text.charCodeAt(i + 1)];
          i += 2;
        }
        n++;
      }
      return { docs: n < most ? docs.slice(0, n) : docs, vals: vals && n < most ? vals.slice(0, n) : vals, n: n };
    }

    // The decoded list of `key` (a term, or a pair or name of terms) in the shard of term ti.
    function postings(ti, key, values) {
      var shard = shards[shardOf[ti]];
      if (!shard) return null;
      var list = shard.decoded[key];
      if (list === undefined) {
        var text = shard.raw[key];
        list = shard.decoded[key] = typeof text === "string" ? decode(text, values) : null;
      }
      return list;
    }

    var scratch = null;
    // Ranks documents for a plan whose shards are loaded: the best `max` as
    // [{ doc, score, tier, quality }], best first.
    function rank(p, max) {
      var T = p.tokens.length;
      var all = p.all.length;
      var n = meta.n;
      if (!T) return [];
      // Per document, in typed arrays (a large site has tens of thousands): the score, how well
      // it fits (sum over query words, 0..1 each, IDF-weighted), how many query words it has,
      // how many of the tier words its title or other names hold, phrase hits, whole names.
      // Made once and cleared per keystroke: a fresh set each time is ~1 MB of garbage.
      if (!scratch || scratch.n !== n) {
        scratch = { n: n, f: [], u: [], hit: new Int32Array(n), touched: new Int32Array(n) };
        for (var a = 0; a < 4; a++) scratch.f.push(new Float64Array(n));
        for (a = 0; a < 6; a++) scratch.u.push(new Uint8Array(n));
      }
      scratch.f.forEach(function (arr) { arr.fill(0); });
      scratch.u.forEach(function (arr) { arr.fill(0); });
      var score = scratch.f[0];
      var quality = scratch.f[1];
      var best = scratch.f[2];
      var fit = scratch.f[3];
      var matched = scratch.u[0];
      var titled = scratch.u[1];
      var phrased = scratch.u[2];
      var named = scratch.u[3];
      var inTitle = scratch.u[4];
      var tiers = scratch.u[5];
      var hit = scratch.hit;
      var touched = scratch.touched;
      var nTouched = 0;
      // Words most pages hold ("breastfeeding" here) do not decide the title tier.
      var tierWords = p.tokens.map(function (t) {
        var df = 0;
        t.cands.forEach(function (c) { if (c.how === "exact") df = Math.max(df, meta.df[c.ti]); });
        return df <= n / 2;
      });
      if (tierWords.indexOf(true) < 0) tierWords = tierWords.map(function () { return true; });
      var tierCount = tierWords.filter(Boolean).length;
      var idfSum = 0;
      p.tokens.forEach(function (t, i) {
        // One IDF per query word, that of its most common reading: "breastfeed" is as common
        // as "breastfeeding", though the stemmer keeps the two apart.
        var wIdf = Infinity;
        var close = t.cands.some(function (c) { return c.how === "exact" || c.how === "form"; });
        t.cands.forEach(function (c) {
          if (!close || c.how === "exact" || c.how === "form") wIdf = Math.min(wIdf, idf(meta.df[c.ti]));
        });
        idfSum += wIdf;
        var nHit = 0;
        t.cands.forEach(function (c) {
          var list = postings(c.ti, c.term, true);
          if (!list) return;
          var f = c.w * wIdf / 255;
          var g = (FIT[c.how] || FIT.typo) / 255;
          var title = c.w >= MATCH.typo1;
          var ds = list.docs;
          var vs = list.vals;
          for (var j = 0; j < list.n; j++) {
            var doc = ds[j];
            var v = vs[j];
            var imp = v >> 3;
            if (best[doc] === 0) hit[nHit++] = doc;
            if (f * imp > best[doc]) best[doc] = f * imp;
            if (g * imp > fit[doc]) fit[doc] = g * imp;
            if ((v & 3) && title) inTitle[doc] = 1;
          }
        });
        var tierWord = tierWords[i];
        for (var k = 0; k < nHit; k++) {
          var d = hit[k];
          if (matched[d] === 0) touched[nTouched++] = d;
          score[d] += best[d];
          quality[d] += fit[d] * wIdf;
          matched[d]++;
          if (inTitle[d] && tierWord) titled[d]++;
          best[d] = 0;
          fit[d] = 0;
          inTitle[d] = 0;
        }
      });
      function eachDoc(ti, key, out) {
        var list = postings(ti, key, false);
        if (!list) return;
        for (var j = 0; j < list.n; j++) out[list.docs[j]]++;
      }
      // Phrase bonus: two query words side by side in a title or other name.
      for (var i = 0; i + 1 < p.tokens.length; i++) {
        var b = p.tokens[i + 1];
        p.tokens[i].cands.forEach(function (ca) {
          if (ca.w < MATCH.form) return;
          b.cands.forEach(function (cb) {
            if (cb.w < MATCH.prefix) return;
            eachDoc(ca.ti, ca.term + " " + cb.term, phrased);
          });
        });
      }
      // A page one of whose names is exactly the query ("lump", "plugged duct") comes first.
      // Each word's best reading: its exact form, or else its closest correction.
      var exact = p.tokens.map(function (t) {
        for (var k = 0; k < t.cands.length; k++) if (t.cands[k].how === "exact") return t.cands[k];
        for (k = 0; k < t.cands.length; k++) if (t.cands[k].how !== "prefix") return t.cands[k];
        return null;
      });
      if (T === all && exact.indexOf(null) < 0) {
        eachDoc(exact[0].ti, "=" + exact.map(function (c) { return c.term; }).join(" "), named);
      }
      var need = Math.ceil(0.6 * all);
      var top = 0;
      var fits = 0;
      var kept = 0;
      // First the score and fit of every candidate (into score and quality, in place)...
      for (var k = 0; k < nTouched; k++) {
        var d = touched[k];
        if (matched[d] < need) continue;
        var kind = meta.kinds.charAt(d);
        var bonus = phrased[d] ? Math.pow(PHRASE_BONUS, Math.min(phrased[d], T - 1)) : 1;
        var s = score[d] * (matched[d] / all) * (KIND_BOOST[kind] || 1) * bonus;
        // Guides compete by score; a symptom, cause or page named by every word comes first.
        tiers[d] = named[d] ? 2 : titled[d] === tierCount && kind !== "g" ? 1 : 0;
        // How well it fits: the IDF-weighted mean of its words' matches (a rare word missing
        // weighs more than a common one), less the words the index lacks.
        var q = Math.min(1, bonus * (quality[d] / idfSum) * (T / all));
        score[d] = s;
        quality[d] = q;
        if (s > top) top = s;
        if (q > fits) fits = q;
        touched[kept++] = d;
      }
      // Whether anything fits: the best match must fit the query well enough.
      if (fits < minFit) return [];
      // ...then the best `max`, kept in order as they come (no sort of thousands per keystroke).
      var out = [];
      var floor = top * MIN_SHARE;
      for (k = 0; k < kept; k++) {
        d = touched[k];
        if (score[d] < floor && !tiers[d]) continue;
        if (out.length === max && !before(tiers[d], score[d], d, out[max - 1])) continue;
        var r = { doc: d, score: score[d], tier: tiers[d], quality: quality[d] };
        var at = out.length === max ? max - 1 : out.length;
        while (at > 0 && before(r.tier, r.score, d, out[at - 1])) {
          out[at] = out[at - 1];
          at--;
        }
        out[at] = r;
        if (out.length > max) out.length = max;
      }
      return out;
    }

    // Whether a result (tier, score, doc) ranks before result y: higher tier, then higher score,
    // then the earlier page.
    function before(tier, score, doc, y) {
      return tier !== y.tier ? tier > y.tier : score !== y.score ? score > y.score : doc < y.doc;
    }

    // Starts what a search for query will need (the index's root, the shards of its words, its
    // ranking and the files of the documents it shows) without showing anything: called at the
    // key press, so that the files load while the input's debounce waits, and the search that
    // follows finds them there. Only for the latest query: one typed over is let go.
    var latest = null;
    function prefetch(query) {
      latest = query;
      ensureIndex(function (ok) {
        if (!ok || latest !== query) return;
        var p = planFor(query);
        ensureAll(shardNames(p), haveShard, function () {
          if (latest !== query) return;
          ensureAll(docFiles(ranking(query, p, MAX_RESULTS)), never, function () {});
        });
      });
    }

    // plan(query), remembered for the last query: prefetch and search plan the same keystroke.
    var lastPlan = null;
    function planFor(query) {
      if (lastPlan && lastPlan.query === query && lastPlan.terms === terms) return lastPlan.plan;
      lastPlan = { query: query, terms: terms, plan: plan(query) };
      return lastPlan.plan;
    }

    // rank(p, max), remembered for the last query when every shard it needs was there (a shard
    // that failed to load is asked for again by the next search, which must then rank anew).
    var lastRanking = null;
    function ranking(query, p, max) {
      var r = lastRanking;
      if (!r || r.query !== query || r.max !== max || r.terms !== terms || r.minFit !== minFit) {
        r = { query: query, max: max, terms: terms, minFit: minFit, ranked: rank(p, max) };
        lastRanking = shardNames(p).every(haveShard) ? r : null;
      }
      // Copies: the search goes on to change their scores (near()).
      return r.ranked.map(function (x) { return { doc: x.doc, score: x.score, tier: x.tier, quality: x.quality }; });
    }

    function haveShard(name) { return !!shards[name.slice(1, -3)]; }
    function never() { return false; }

    // The files of the documents ranked that are not loaded (or were let go).
    function docFiles(ranked) {
      var per = meta.docs || 1;
      var files = {};
      ranked.forEach(function (r) { if (!docs[r.doc]) files["d" + Math.floor(r.doc / per) + ".js"] = true; });
      return Object.keys(files);
    }

    // Searches: done({ query, plan, results: [{ doc, score, data }] }) once the shards and the
    // documents shown are loaded; done(null) when the index cannot be loaded.
    function search(query, done, max) {
      max = max || MAX_RESULTS;
      ensureIndex(function (ok) {
        if (!ok) { done(null); return; }
        var p = planFor(query);
        ensureAll(shardNames(p), haveShard, function () {
          var ranked = ranking(query, p, max);
          keepShards(shardNames(p));
          ensureAll(docFiles(ranked), never, function () {
            ranked = ranked.filter(function (r) { return docs[r.doc]; });
            ranked.forEach(function (r) { used(r.doc); });
            ranked = near(p, ranked);
            done({
              query: query,
              plan: p,
              results: ranked.map(function (r) {
                return { doc: r.doc, score: r.score, tier: r.tier, fit: r.quality, data: docs[r.doc] };
              })
            });
          });
        });
      });
    }

    // Proximity, on the documents shown: how many of the query's words one sentence (or the
    // title) of each holds. More together ranks higher; when no shown page has even two of
    // several query words together, the words only met by chance: nothing fits.
    function near(p, ranked) {
      var T = p.tokens.length;
      if (T < 2 || !ranked.length) return ranked;
      // Each term, the query words it stands for (a bit each).
      var bits = Object.create(null);
      p.tokens.forEach(function (t, k) {
        t.cands.forEach(function (c) { bits[c.term] = (bits[c.term] || 0) | (1 << k); });
      });
      var last = p.tokens[T - 1].last ? p.tokens[T - 1].word : null;
      var lastBit = 1 << (T - 1);
      ranked.forEach(function (r) {
        var texts = prepared(r.doc);
        var cover = 0;
        for (var i = 0; i < texts.length && cover < T; i++) {
          var ws = texts[i].words;
          var ss = texts[i].stems;
          var mask = 0;
          for (var j = 0; j < ss.length; j++) {
            mask |= bits[ss[j]] || 0;
            if (last && !(mask & lastBit) && ws[j].lastIndexOf(last, 0) === 0) mask |= lastBit;
          }
          var n = 0;
          for (; mask; mask &= mask - 1) n++;
          if (n > cover) cover = n;
        }
        r.score *= 1 + PROXIMITY * (cover - 1) / (T - 1);
      });
      return ranked.sort(function (x, y) { return y.tier - x.tier || y.score - x.score || x.doc - y.doc; });
    }

    var stems = {};
    function stemOf(w) {
      var s = stems[w];
      if (s === undefined) s = stems[w] = lang.stop(w) ? "" : lang.stem(w);
      return s;
    }

    // A shown document's texts (title, summary, sentences) with their words and terms, made
    // once: proximity and snippets look at them on every keystroke.
    var texts = new Map();
    function prepared(n) {
      var made = texts.get(n);
      if (made) {
        texts.delete(n);
        texts.set(n, made);
        return made;
      }
      if (!docs[n]) return [];
      var data = docs[n];
      var list = [data.t, data.s].concat(data.x || []).map(function (text) {
        var spans = wordSpans(text);
        var ws = spans.map(function (sp) { return sp.word; });
        return { text: String(text || ""), spans: spans, words: ws, stems: ws.map(stemOf) };
      });
      texts.set(n, list);
      if (texts.size > MAX_TEXTS) texts.delete(texts.keys().next().value);
      return list;
    }

    // Documents (and their prepared texts) kept, least recently shown first: typing query
    // after query would otherwise keep every page ever shown (100+ MB at 10,000 guides).
    // Shards likewise, up to MAX_SHARD_CHARS; those of this query are the newest and stay.
    // Every shard loaded is counted (addShard), also one loaded ahead for a query never searched.
    var recentShards = new Map();
    var shardChars = 0;
    function keepShards(names) {
      names.forEach(function (name) {
        var k = name.slice(1, -3);
        if (!shards[k] || !recentShards.has(k)) return;
        recentShards.delete(k);
        recentShards.set(k, true);
      });
      var keep = names.length;
      while (shardChars > MAX_SHARD_CHARS && recentShards.size > keep) {
        var old = recentShards.keys().next().value;
        recentShards.delete(old);
        shardChars -= shards[old].chars;
        delete shards[old];
      }
    }

    var recent = new Map();
    function used(n) {
      recent.delete(n);
      recent.set(n, true);
      while (recent.size > MAX_DOCS) {
        var old = recent.keys().next().value;
        recent.delete(old);
        delete docs[old];
        texts.delete(old);
      }
    }

    // Whether a word of a text is one the query matched (for <mark>).
    function matcher(p) {
      var set = {};
      var prefixes = [];
      p.tokens.forEach(function (t) {
        t.cands.forEach(function (c) { set[c.term] = true; });
        if (t.last) prefixes.push(t.word);
      });
      return function (word, stem) {
        if (lang.stop(word)) return false;
        if (set[stem] || set[word]) return true;
        for (var i = 0; i < prefixes.length; i++) if (word.lastIndexOf(prefixes[i], 0) === 0) return true;
        return false;
      };
    }

    // The sentence of a document that best shows the query, as [{ text, mark }] pieces.
    function snippet(n, p) {
      var isHit = matcher(p);
      var list = prepared(n).slice(1); // not the title: it is shown above
      var best = null;
      var bestHits = 0;
      for (var i = 0; i < list.length; i++) {
        var hit = {};
        var count = 0;
        for (var j = 0; j < list[i].words.length; j++) {
          var w = list[i].words[j];
          if (!hit[w] && isHit(w, list[i].stems[j])) { hit[w] = true; count++; }
        }
        if (count > bestHits) { best = list[i]; bestHits = count; }
      }
      if (!best) best = list[0] || { text: "", spans: [], stems: [] };
      var text = best.text;
      var marks = best.spans.filter(function (sp, i) { return isHit(sp.word, best.stems[i]); });
      // A long sentence is cut around its first match.
      var from = 0;
      var to = text.length;
      if (text.length > SNIPPET_CHARS) {
        var at = marks.length ? marks[0].start : 0;
        from = Math.max(0, at - 40);
        if (from > 0) { var sp = text.indexOf(" ", from); from = sp >= 0 && sp < at ? sp + 1 : from; }
        to = Math.min(text.length, from + SNIPPET_CHARS);
        if (to < text.length) { var cut = text.lastIndexOf(" ", to); if (cut > at) to = cut; }
      }
      var pieces = [];
      var pos = from;
      if (from > 0) pieces.push({ text: "…", mark: false });
      marks.forEach(function (m) {
        if (m.start < from || m.end > to) return;
        if (m.start > pos) pieces.push({ text: text.slice(pos, m.start), mark: false });
        pieces.push({ text: text.slice(m.start, m.end), mark: true });
        pos = m.end;
      });
      if (pos < to) pieces.push({ text: text.slice(pos, to), mark: false });
      if (to < text.length) pieces.push({ text: "…", mark: false });
      return pieces;
    }

    return {
      setIndex: setIndex,
      addShard: function (k, data) {
        var raw = data || {};
        var chars = 0;
        for (var key in raw) chars += key.length + String(raw[key]).length;
        k = String(k);
        if (recentShards.has(k)) {
          // Loaded again while kept (two searches asked for it at once): counted once.
          recentShards.delete(k);
          shardChars -= shards[k] ? shards[k].chars : 0;
        }
        shards[k] = { raw: raw, decoded: Object.create(null), chars: chars };
        shardChars += chars;
        recentShards.set(k, true);
      },
      addDoc: function (n, data) { docs[n] = data; used(n); },
      ensureIndex: ensureIndex,
      prefetch: prefetch,
      // For tuning: the "No matches" threshold.
      setMinFit: function (v) { minFit = v; },
      plan: plan,
      search: search,
      snippet: snippet
    };
  }

  /* ---- The words the search box writes, in the page's language: the theme's strings
     (strings/<language>.toml) as data- attributes of the form (_search.html); English when a
     theme's form lacks them. */
  var UI_WORDS = {
    plural: "one-other",
    "count-one": "{n} result",
    "count-few": "{n} results",
    "count-many": "{n} results",
    found: "{results}. Use the up and down arrow keys to choose.",
    "found-most": "{results} shown. Use the up and down arrow keys to choose.",
    unavailable: "Search is not available: the search index could not be loaded.",
    "kind-guide": "Guide",
    "kind-symptom": "Symptom",
    "kind-cause": "Cause",
    "kind-page": "Page"
  };

  // The words of a search box: attr(name) reads its data-<name> attribute.
  function uiWords(attr) {
    var w = {};
    for (var k in UI_WORDS) w[k] = attr(k) || UI_WORDS[k];
    return w;
  }

  // "3 results" in the words' language: the strings' plural_rule picks the form ("one-few-many"
  // as in Russian: 1 результат, 3 результата, 5 результатов, 11 результатов, 21 результат).
  function countWords(w, n) {
    var n10 = n % 10, n100 = n % 100, form;
    if (w.plural === "one-few-many") {
      form = n10 === 1 && n100 !== 11 ? "one" : n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14) ? "few" : "many";
    } else {
      form = n === 1 ? "one" : "many";
    }
    return w["count-" + form].replace("{n}", String(n));
  }

  // What the live region says when n results are listed (`most`: cut at MAX_RESULTS).
  function foundWords(w, n, most) {
    return w[most ? "found-most" : "found"].replace("{results}", countWords(w, n));
  }

  var api = {
    createEngine: createEngine,
    uiWords: uiWords,
    foundWords: foundWords,
    words: words,
    wordSpans: wordSpans,
    stem: stemEnglish,
    stemFor: function (lang) { return language(lang).stem; },
    snowballRussian: stemRussian,
    stopWords: function (lang) { return Object.keys(lang === "en" ? STOP_EN : lang === "ru" ? STOP_RU : {}); },
    MAX_RESULTS: MAX_RESULTS
  };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }
  if (typeof document === "undefined") return;

  /* ---- The page: one engine, shared by every search box. */
  var docEl = document.documentElement;
  docEl.className = docEl.className.replace(/(^|\s)no-js(\s|$)/, "$1js$2");
  var root = docEl.getAttribute("data-root") || "";
  var engine = createEngine(function (name, done) {
    var script = document.createElement("script");
    script.src = root + "search/" + name;
    script.async = true;
    // Once run, a file's element is of no more use: the engine holds what it defined.
    script.onload = function () { script.remove(); done(true); };
    script.onerror = function () { script.remove(); done(false); };
    document.head.appendChild(script);
  });
  window.CAREBOOK_SEARCH_INDEX = function (m) { engine.setIndex(m); };
  window.CAREBOOK_SEARCH_SHARD = function (k, data) { engine.addShard(k, data); };
  window.CAREBOOK_SEARCH_DOC = function (n, data) { engine.addDoc(n, data); };

  /* ---- One search box. */
  var boxCount = 0;

  function setup(form) {
    var input = form.querySelector(".search-input");
    var panel = form.querySelector(".search-panel");
    var list = form.querySelector("[role=listbox]");
    var empty = form.querySelector(".search-empty");
    var status = form.querySelector(".search-status");
    if (!input || !panel || !list || !empty || !status) return;
    var ui = uiWords(function (k) { return form.getAttribute("data-" + k); });
    // "No matches" is read aloud as it is shown: its words and the doctor link's.
    var noMatches = empty.textContent.replace(/\s+/g, " ").trim();
    var idBase = (input.id || "search-" + (++boxCount)) + "-opt-";
    var active = -1;
    var options = [];
    var shownQuery = null;
    var asked = 0;
    var askedQuery = null;
    var statusTimer = null;
    var inputTimer = null;

    function announce(text) {
      // Small delay so screen readers do not read every keystroke.
      clearTimeout(statusTimer);
      statusTimer = setTimeout(function () { status.textContent = text; }, 400);
    }

    function open() {
      panel.hidden = false;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
    }

    function close() {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(i) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (active >= 0 && options[active]) {
        var opt = options[active];
        opt.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", opt.id);
        if (opt.scrollIntoView) opt.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function clear() {
      list.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function show(query, found) {
      shownQuery = query;
      clear();
      // For tests and styles: which query the list shows.
      form.setAttribute("data-shown", query);
      if (found === null) {
        empty.hidden = true;
        close();
        announce(ui.unavailable);
        return;
      }
      // Built off the page and put in at once: one style and layout pass per keystroke.
      var made = document.createDocumentFragment();
      found.results.forEach(function (r, i) {
        var e = r.data;
        var a = document.createElement("a");
        a.className = "search-result";
        a.id = idBase + i;
        a.href = root + e.u;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.tabIndex = -1;
        var title = document.createElement("span");
        title.className = "search-result-title";
        title.textContent = e.t;
        var kind = document.createElement("span");
        kind.className = "search-result-kind";
        kind.textContent = ui["kind-" + e.k] || e.k || "";
        a.appendChild(title);
        a.appendChild(kind);
        var pieces = engine.snippet(r.doc, found.plan);
        if (pieces.length) {
          var text = document.createElement("span");
          text.className = "search-result-text";
          pieces.forEach(function (piece) {
            if (piece.mark) {
              var m = document.createElement("mark");
              m.textContent = piece.text;
              text.appendChild(m);
            } else {
              text.appendChild(document.createTextNode(piece.text));
            }
          });
          a.appendChild(text);
        }
        a.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        made.appendChild(a);
        options.push(a);
      });
      list.appendChild(made);
      list.hidden = options.length === 0;
      empty.hidden = options.length !== 0;
      open();
      if (options.length) {
        announce(foundWords(ui, options.length, options.length === MAX_RESULTS));
      } else {
        announce(noMatches);
      }
    }

    function run(query) {
      if (!query.trim()) {
        shownQuery = query;
        clear();
        form.setAttribute("data-shown", query);
        empty.hidden = true;
        close();
        announce("");
        return;
      }
      var ticket = ++asked;
      askedQuery = query;
      engine.search(query, function (found) {
        // A later query answered meanwhile, or is on its way: this answer is stale.
        if (ticket !== asked) return;
        show(query, found);
      });
    }

    function update() {
      var query = input.value;
      if (query === shownQuery && !panel.hidden) return;
      // What the query needs (its shards, then the files of the pages it will show) starts
      // loading now, while the debounce below waits.
      if (query.trim()) engine.prefetch(query);
      // Debounced: fast typing runs one search for the last keystroke, not one for each.
      clearTimeout(inputTimer);
      inputTimer = setTimeout(function () { run(input.value); }, shownQuery === null ? 0 : 40);
    }

    // The index's root (index.js) loads as the reader comes to the box, so that the first letter
    // does not wait for it: on focus, and already at the press of a tap or click on it.
    function preload() {
      engine.ensureIndex(function () {
        // What was typed while it loaded, unless its search is already on its way.
        if (document.activeElement === input && input.value.trim() && input.value !== askedQuery) update();
      });
    }
    input.addEventListener("focus", preload);
    input.addEventListener("pointerdown", preload, { passive: true });
    input.addEventListener("touchstart", preload, { passive: true });
    // site.js loads this file when the box gets focus: that focus has already happened.
    if (document.activeElement === input) preload();
    input.addEventListener("input", update);

    input.addEventListener("keydown", function (ev) {
      var key = ev.key;
      if (key === "ArrowDown" || key === "Down") {
        ev.preventDefault();
        if (panel.hidden) { shownQuery = null; update(); return; }
        if (options.length) setActive(active + 1 < options.length ? active + 1 : 0);
      } else if (key === "ArrowUp" || key === "Up") {
        ev.preventDefault();
        if (panel.hidden) { shownQuery = null; update(); return; }
        if (options.length) setActive(active > 0 ? active - 1 : options.length - 1);
      } else if (key === "Enter") {
        ev.preventDefault();
        var target = options[active >= 0 ? active : 0];
        if (target && !panel.hidden) window.location.href = target.href;
      } else if (key === "Escape" || key === "Esc") {
        if (!panel.hidden) {
          ev.preventDefault();
          close();
        } else if (input.value) {
          ev.preventDefault();
          input.value = "";
          shownQuery = null;
          announce("");
        }
      } else if (key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      // Let a tap on a result (a normal link) happen first.
      setTimeout(function () {
        if (!form.contains(document.activeElement)) close();
      }, 150);
    });

    document.addEventListener("click", function (ev) {
      if (!form.contains(ev.target)) close();
    });

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
    });
  }

  function init() {
    var forms = document.querySelectorAll("form.search");
    for (var i = 0; i < forms.length; i++) setup(forms[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
