#!/usr/bin/env python3
# RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
"""Drive the explorer page (Sources/RecVecServer/Resources/explorer.html) in headless Chromium and check it.

Two modes, both on 127.0.0.1:
  python3 Benchmarks/explorer_check.py                       # against a mock of the /v1 API (fake vectors,
                                                             # the bundled MovieLens titles and genres)
  python3 Benchmarks/explorer_check.py --server http://127.0.0.1:8080   # against a running `recvec serve`
The script serves the page (mock mode) or forwards to the server (server mode), plus a test page at /__test
that loads the explorer in a same-origin iframe, types into the search box, uses the arrow keys, adds history,
clicks and zooms the map, provokes API errors, and prints PASS/FAIL lines. Exit status 1 when a check fails.
Needs python3 (standard library) and chromium.
"""
import argparse, json, math, os, random, subprocess, sys, threading, urllib.error, urllib.parse, urllib.request
from collections import defaultdict
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, "Sources/RecVecServer/Resources/explorer.html")
METADATA = os.path.join(ROOT, "Sources/recvec/SampleData/movielens/metadata.tsv")


class MockAPI:
    """The /v1 API of `recvec serve` (docs/openapi.yaml) over fake 8-d vectors clustered by each film's first genre."""

    def __init__(self, items=3000, dim=8, seed=1):
        self.meta = defaultdict(lambda: defaultdict(list))
        with open(METADATA, encoding="utf-8") as f:
            next(f)
            for line in f:
                i, field, value = line.rstrip("\n").split("\t")
                self.meta[i][field].append(value)
        self.ids = [i for i in self.meta if self.meta[i].get("genre")][:items]
        rng, centers = random.Random(seed), {}
        self.vec = {}
        for i in self.ids:
            g = self.meta[i]["genre"][0]
            c = centers.setdefault(g, [rng.gauss(0, 3) for _ in range(dim)])
            v = [x + rng.gauss(0, 1.2) for x in c]
            n = math.sqrt(sum(x * x for x in v))
            self.vec[i] = [x / n for x in v]
        self.dim = dim

    def label(self, i):
        return (self.meta[i].get("title") or [i])[0]

    def cos(self, a, b):
        return sum(x * y for x, y in zip(self.vec[a], self.vec[b]))

    def top(self, score, k, skip):
        rows = ({"id": j, "label": self.label(j), "score": score(j)} for j in self.ids if j not in skip)
        return sorted(rows, key=lambda r: -r["score"])[:k]

    def get(self, path, q):
        if path == "/v1/info":
            n = len(self.ids)
            return 200, {"model": {"items": n, "dim": self.dim, "vocabulary": n,
                                   "sections": [{"kind": "item", "start": 0, "count": n}],
                                   "config": {"architecture": "skipgram", "window": 20, "negative": 5, "epochs": 20},
                                   "file": "mock.rvmodel"}}
        if path == "/v1/search":
            s = q.get("q", "").lower()
            if not s:
                return 400, "missing query parameter q"
            hits = [i for i in self.ids if s in i.lower() or s in self.label(i).lower()][: int(q.get("limit", 20))]
            return 200, {"query": s, "items": [{"id": i, "label": self.label(i), "score": 1.0} for i in hits]}
        if path == "/v1/similar":
            i = q.get("item")
            if i not in self.vec:
                return 404, f"unknown id: {i}"
            return 200, {"query": [i], "items": self.top(lambda j: self.cos(i, j), int(q.get("k", 10)), {i})}
        if path == "/v1/map":
            field, limit = q.get("field", "genre"), int(q.get("limit", 2000))
            points = [{"id": i, "label": self.label(i), "x": self.vec[i][0], "y": self.vec[i][1],
                       "group": (self.meta[i].get(field) or [None])[0]} for i in self.ids[:limit]]
            groups = sorted({p["group"] for p in points if p["group"] is not None})
            return 200, {"field": field, "points": points, "groups": groups}
        return 404, "no route " + path

    def post(self, path, body):
        if path != "/v1/recommend":
            return 404, "no route " + path
        history = body.get("history", [])
        unknown = [h for h in history if h not in self.vec]
        if unknown:
            return 404, "unknown ids: " + ", ".join(unknown)
        skip = set(history) if body.get("exclude_history", True) else set()
        recs = self.top(lambda j: sum(self.cos(h, j) for h in history) / len(history), int(body.get("k", 10)), skip)
        return 200, {"history": history, "unknown": [], "scoring": body.get("scoring", "cosine"), "source": "embedding",
                     "items": recs}


def handler(mock, upstream):
    class Handler(BaseHTTPRequestHandler):
        def reply(self, code, body, ctype="application/json"):
            if not isinstance(body, bytes):
                if isinstance(body, str):
                    body = {"error": {"status": code, "message": body}}
                body = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def forward(self, data=None):
            req = urllib.request.Request(upstream + self.path, data=data, method=self.command,
                                         headers={"Content-Type": "application/json"} if data else {})
            try:
                with urllib.request.urlopen(req) as r:
                    self.reply(r.status, r.read(), r.headers.get("Content-Type", ""))
            except urllib.error.HTTPError as e:
                self.reply(e.code, e.read(), e.headers.get("Content-Type", ""))

        def do_GET(self):
            u = urllib.parse.urlparse(self.path)
            if u.path == "/__test":
                return self.reply(200, HARNESS.encode(), "text/html; charset=utf-8")
            if upstream:
                return self.forward()
            if u.path == "/":
                with open(PAGE, "rb") as f:
                    return self.reply(200, f.read(), "text/html; charset=utf-8")
            self.reply(*mock.get(u.path, dict(urllib.parse.parse_qsl(u.query))))

        def do_POST(self):
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if upstream:
                return self.forward(data)
            try:
                body = json.loads(data)
            except ValueError as e:
                return self.reply(400, f"invalid JSON body: {e}")
            self.reply(*mock.post(self.path, body))

        def log_message(self, *args):
            pass
    return Handler


HARNESS = r"""<!DOCTYPE html><html><body><pre id="out">running</pre>
<iframe id="f" src="/" style="width:1400px;height:900px"></iframe>
<script>
const out = [], errors = [], sleep = ms => new Promise(r => setTimeout(r, ms));
const check = (name, ok, extra) => out.push((ok ? "PASS " : "FAIL ") + name + (extra !== undefined ? " (" + extra + ")" : ""));
const f = document.getElementById("f");
f.addEventListener("load", async () => {
  const w = f.contentWindow, d = w.document, $ = id => d.getElementById(id);
  w.addEventListener("error", e => errors.push(e.message));
  const points = () => d.querySelectorAll("#map circle.pt").length;
  try {
  await sleep(3000);
  check("info line", /items · dim \d+/.test($("info").textContent), $("info").textContent);
  check("map points", points() > 100, points());
  check("legend", $("legend").children.length >= 10, $("legend").children.length + " entries");
  check("search box focused", d.activeElement === $("q"));
  $("q").value = "star wars"; $("q").dispatchEvent(new w.Event("input"));
  await sleep(50);
  check("search is debounced", $("results").children.length === 0);
  await sleep(1000);
  check("search results", $("results").children.length > 0, $("results").children.length + " results");
  check("results are listbox options", [...$("results").children].every(li => li.getAttribute("role") === "option"));
  const key = k => $("q").dispatchEvent(new w.KeyboardEvent("keydown", { key: k, bubbles: true }));
  key("ArrowDown"); key("ArrowDown"); key("ArrowUp");
  const sel = d.querySelector("#results [aria-selected=true]");
  check("arrow keys move the active result", sel && sel.id === "res-0" && $("q").getAttribute("aria-activedescendant") === "res-0");
  const chosen = sel.querySelector(".name").textContent;
  key("Enter"); await sleep(1000);
  check("Enter selects", $("selTitle").textContent.startsWith(chosen), $("selTitle").textContent + $("simError").textContent);
  check("neighbours listed", $("neighbors").children.length === 10);
  const nb = d.querySelectorAll("#map circle.nb").length;
  check("selection highlighted on the map", d.querySelectorAll("#map circle.sel").length === 1 && nb >= 1
        && d.querySelectorAll("#map line.edge").length === nb, nb + " neighbours on the map");
  check("selection in the URL", /item=/.test(w.location.hash), w.location.hash);
  key("Escape");
  check("Escape closes the results", $("results").children.length === 0 && $("q").getAttribute("aria-expanded") === "false");
  $("addSel").click(); await sleep(800);
  $("neighbors").querySelector("button[aria-label^=Add]").click(); await sleep(1000);
  check("history", $("history").children.length === 2);
  check("recommendations", $("recs").children.length === 10 && $("recError").textContent === "", $("recs").children.length + " " + $("recError").textContent);
  $("scoring").value = "dual"; $("scoring").dispatchEvent(new w.Event("change")); await sleep(1000);
  check("dual scoring", /scoring=dual/.test(w.location.hash) && $("recs").children.length === 10 && $("recError").textContent === "", $("recError").textContent);
  $("history").querySelector("button[aria-label^=Remove]").click(); await sleep(1000);
  check("remove from history", $("history").children.length === 1 && $("recs").children.length === 10);
  const c = d.querySelectorAll("#map circle.pt")[7], id = w.eval("state.points[7].id");
  c.dispatchEvent(new w.MouseEvent("mousemove", { bubbles: true, clientX: 300, clientY: 300 }));
  check("tooltip on hover", $("tooltip").style.display === "block" && $("tooltip").textContent.length > 0, $("tooltip").textContent);
  c.dispatchEvent(new w.MouseEvent("mousedown", { bubbles: true, clientX: 300, clientY: 300 }));
  c.dispatchEvent(new w.MouseEvent("mouseup", { bubbles: true, clientX: 300, clientY: 300 }));
  await sleep(1000);
  check("clicking a point selects it", w.eval("state.item && state.item.id") === id, id);
  // requestAnimationFrame does not fire after load under headless virtual time: lay out by hand after zoom/pan.
  const cx0 = +c.getAttribute("cx");
  $("map").dispatchEvent(new w.WheelEvent("wheel", { deltaY: -300, clientX: 700, clientY: 400, bubbles: true, cancelable: true }));
  await sleep(100); w.eval("layout()");
  check("wheel zooms", w.eval("state.view.k") > 1 && +c.getAttribute("cx") !== cx0);
  $("map").dispatchEvent(new w.MouseEvent("mousedown", { bubbles: true, clientX: 500, clientY: 500 }));
  w.dispatchEvent(new w.MouseEvent("mousemove", { clientX: 560, clientY: 520 }));
  w.dispatchEvent(new w.MouseEvent("mouseup", { clientX: 560, clientY: 520 }));
  check("drag pans", w.eval("state.view.tx") !== 0);
  $("resetZoom").click(); await sleep(100); w.eval("layout()");
  check("reset zoom", w.eval("state.view.k") === 1 && +c.getAttribute("cx") === cx0);
  d.querySelector("#legend li").dispatchEvent(new w.Event("mouseenter"));
  check("legend emphasises a group", d.querySelectorAll("#legend li.dim").length === $("legend").children.length - 1);
  d.querySelector("#legend li").dispatchEvent(new w.Event("mouseleave"));
  $("field").value = "nosuchfield"; $("reload").click(); await sleep(1500);
  const allNone = points() > 0 && w.eval("state.points.every(p => p.group == null)");
  check("unknown map field: said so", /nosuchfield/.test($("mapError").textContent + $("mapHint").textContent) && allNone,
        $("mapError").textContent + $("mapHint").textContent);
  $("field").value = "genre"; $("reload").click(); await sleep(1500);
  check("map back", $("mapError").textContent === "" && points() > 100);
  await w.eval("selectItem('no-such-item')");
  check("unknown item: selection cleared", w.eval("state.item") === null && $("neighbors").children.length === 0);
  check("unknown item: inline error", /^Error: ./.test($("simError").textContent), $("simError").textContent);
  $("q").value = "zzzzqqqq"; $("q").dispatchEvent(new w.Event("input")); await sleep(1000);
  check("no match message", /nothing matches/.test($("searchError").textContent));
  } catch (e) { check("harness", false, e.message); }
  check("no JS errors", errors.length === 0, errors.join("; "));
  document.getElementById("out").textContent = out.join("\n") + "\nDONE";
});
</script></body></html>"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", help="base URL of a running `recvec serve` (default: use the mock API)")
    ap.add_argument("--port", type=int, default=8766, help="local port for the mock / forwarding server")
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--screenshot", help="also save a screenshot of the page with an item selected (PNG)")
    args = ap.parse_args()
    upstream = args.server.rstrip("/") if args.server else None
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), handler(None if upstream else MockAPI(), upstream))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{args.port}"
    flags = [args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
             "--window-size=1500,1000"]
    run = subprocess.run(flags + ["--virtual-time-budget=60000", "--dump-dom", base + "/__test"],
                         capture_output=True, text=True, timeout=300)
    dom = run.stdout
    lines = dom[dom.find('<pre id="out">') + 14: dom.find("DONE")].strip().splitlines() if "DONE" in dom else []
    console = [l for l in run.stderr.splitlines() if ":CONSOLE" in l]
    for line in lines:
        print(line)
    for line in console:
        print("console:", line)
    ok = bool(lines) and all(l.startswith("PASS") for l in lines) and not any("Uncaught" in l for l in console)
    if not lines:
        print("FAIL the test page did not finish")
    if args.screenshot:
        subprocess.run(flags + ["--virtual-time-budget=8000", "--screenshot=" + args.screenshot,
                                base + "/#item=1&history=1,260"], capture_output=True, timeout=120)
        print("screenshot:", args.screenshot)
    print("OK" if ok else "FAILED", f"({sum(l.startswith('PASS') for l in lines)} checks passed)")
    httpd.shutdown()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
