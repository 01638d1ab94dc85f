#!/usr/bin/env python3
"""Runs edgedeck-sim with many bad inputs a person could type or write; flags crashes,
wrong exit codes, messages that name nothing, hangs and files changed by a refusal.

    python3 bench/cli-fuzz.py [REGEX]     (after ./mvnw package; JAVA=path/to/java for JDK 25)

Each case runs the built jar in a fresh process with a timeout; REGEX picks cases by name. A FLAG
is a lead to read, not a verdict: some inputs are accepted on purpose (a seed of -1, a scenario
with a byte order mark, --bind '' meaning loopback) and serve cases that start a node end at the
timeout. Takes about ten minutes on two cores."""
import hashlib, os, re, subprocess, sys, shutil, tempfile, json, time

ROOT = os.environ.get("ROOT", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAVA = os.environ.get("JAVA", "java")
JAR = f"{ROOT}/simulator/target/edgedeck-sim.jar"
W = tempfile.mkdtemp(prefix="clifuzz-")
ONLY = sys.argv[1] if len(sys.argv) > 1 else None

def f(name, content):
    p = os.path.join(W, name)
    with open(p, "wb") as h:
        h.write(content if isinstance(content, bytes) else content.encode())
    return p

# Files people write, broken in the usual ways.
GOOD_SCEN = open(f"{ROOT}/docs/scenarios/trigger-audit.json").read()
GOOD_NODE = open(f"{ROOT}/docs/examples/node-config.json").read()
BAD = {
    "empty": f("empty.json", ""),
    "ws": f("ws.json", "   \n\n  "),
    "binary": f("binary.json", bytes(range(256)) * 4),
    "trunc": f("trunc.json", GOOD_SCEN[: len(GOOD_SCEN) // 2]),
    "null": f("null.json", "null"),
    "array": f("array.json", "[]"),
    "obj": f("obj.json", "{}"),
    "str": f("str.json", '"hello"'),
    "num": f("num.json", "42"),
    "bom": f("bom.json", b"\xef\xbb\xbf" + GOOD_SCEN.encode()),
    "utf16": f("utf16.json", GOOD_SCEN.encode("utf-16")),
    "huge": f("huge.json", "{" + " " * (6 * 1024 * 1024) + "}"),
    "dir": W,
    "missing": os.path.join(W, "nope", "missing.json"),
    "nodetrunc": f("nodetrunc.json", GOOD_NODE[: len(GOOD_NODE) // 3]),
    "twodocs": f("twodocs.json", "{} {}"),
    "devnull": "/dev/null",
    "fifo-ish": "/proc/self/status",
}
scen_edits = {
    "scen-negdur": re.sub(r'"durationSeconds"\s*:\s*\d+', '"durationSeconds": -5', GOOD_SCEN),
    "scen-zerodur": re.sub(r'"durationSeconds"\s*:\s*\d+', '"durationSeconds": 0', GOOD_SCEN),
    "scen-hugedur": re.sub(r'"durationSeconds"\s*:\s*\d+', '"durationSeconds": 99999999999999999999', GOOD_SCEN),
    "scen-strdur": re.sub(r'"durationSeconds"\s*:\s*\d+', '"durationSeconds": "ten"', GOOD_SCEN),
    "scen-seedstr": GOOD_SCEN.replace('{', '{"seed": "x",', 1),
    "scen-seedfloat": GOOD_SCEN.replace('{', '{"seed": 1.5,', 1),
    "scen-seedhuge": GOOD_SCEN.replace('{', '{"seed": 1e400,', 1),
    "scen-unknownfield": GOOD_SCEN.replace('{', '{"bogus": 1,', 1),
    "scen-dupkey": GOOD_SCEN.replace('{', '{"name": "a", ', 1),
}
for k, v in scen_edits.items():
    BAD[k] = f(k + ".json", v)
node = json.loads(GOOD_NODE)
def nodevar(name, mut):
    d = json.loads(GOOD_NODE); mut(d); BAD[name] = f(name + ".json", json.dumps(d))
nodevar("node-nopops", lambda d: d.update(pops=[]))
nodevar("node-popsnull", lambda d: d.update(pops=None))
nodevar("node-badpop", lambda d: d.update(defaultPop="zzz"))
nodevar("node-negdelay", lambda d: d["pops"][1].update(propagationDelayMs=-1))
nodevar("node-hugedelay", lambda d: d["pops"][1].update(propagationDelayMs=10**12))
nodevar("node-weightneg", lambda d: d["flags"][0]["variants"][0].update(weight=-50))
nodevar("node-weightstr", lambda d: d["flags"][0]["variants"][0].update(weight="50"))
nodevar("node-noflagkey", lambda d: d["flags"][0].pop("key"))
nodevar("node-flagsobj", lambda d: d.update(flags={}))
nodevar("node-cors", lambda d: d.update(cors={"allowedOrigins": "x"}))
nodevar("node-cors2", lambda d: d.update(cors={"allowedOrigins": ["not a url"]}))
nodevar("node-connectors-bad", lambda d: d.update(connectors={"cdnLogs": 5}))
nodevar("node-connectors-unknown", lambda d: d.update(connectors={"nope": {}}))
nodevar("node-guard-window0", lambda d: d["guardrails"][0].update(windowSeconds=0))
nodevar("node-guard-op", lambda d: d["guardrails"][0]["conditions"][0].update(op="=~"))
nodevar("node-trigger-count0", lambda d: d["triggers"][0].update(count=0))
nodevar("node-probe-url", lambda d: d["pops"][0].update(probe="ftp://x"))

OUTDIR = os.path.join(W, "outs")
os.makedirs(OUTDIR, exist_ok=True)
RO = os.path.join(W, "ro")  # made immutable below if chattr works
os.makedirs(RO, exist_ok=True)
ro_ok = subprocess.run(["chattr", "+i", RO], capture_output=True).returncode == 0

cases = []  # (name, args, expect, mention, stdin)
def case(name, args, expect="refuse", mention=None, stdin=None, timeout=None):
    timeout = timeout or (15 if args[:1] == ["serve"] else 40)
    cases.append((name, args, expect, mention, stdin, timeout))

# --- top level
case("noargs", [], "refuse", "command")
case("unknowncmd", ["rn"], "refuse", "rn")
case("doubledash", ["--", "run"], "refuse", None)
case("emptyarg", [""], "refuse", None)
# --- run
for v in ["", "-1", "0", "abc", "1e999", "NaN", "Infinity", "-Infinity", "99999999", "max ", "1e-300", "0.0009"]:
    case(f"run-speed[{v}]", ["run", "--scenario", "steady-show", "--speed", v, "--report", os.path.join(OUTDIR, "r.json")], "refuse", "--speed")
for v in ["", "abc", "1.5", "99999999999999999999", "0x10"]:
    case(f"run-seed[{v}]", ["run", "--scenario", "steady-show", "--seed", v], "refuse", "--seed")
for k, p in BAD.items():
    if k.startswith("node-"): continue
    case(f"run-scenario-file[{k}]", ["run", "--scenario", p, "--speed", "max"], "any" if k == "bom" else "refuse", None)
for v in ["", "nosuchshow", "STEADY-SHOW", "../steady-show", "steady-show.json"]:
    case(f"run-scenario[{v}]", ["run", "--scenario", v], "refuse", "--scenario" if v == "" else None)
case("run-noscenario", ["run"], "refuse", "--scenario")
case("run-dupscenario", ["run", "--scenario", "steady-show", "--scenario", "steady-show"], "refuse", "--scenario")
case("run-report-dir", ["run", "--scenario", "steady-show", "--speed", "max", "--report", OUTDIR], "refuse", OUTDIR)
case("run-report-missingparent", ["run", "--scenario", "steady-show", "--speed", "max", "--report", os.path.join(W, "no/such/dir/r.json")], "refuse", "no/such/dir")
case("run-report-empty", ["run", "--scenario", "steady-show", "--speed", "max", "--report", ""], "refuse", "--report")
case("run-journal-exists", ["run", "--scenario", "steady-show", "--speed", "max", "--journal", BAD["obj"]], "refuse", "obj.json")
case("run-journal-dir", ["run", "--scenario", "steady-show", "--speed", "max", "--journal", OUTDIR], "refuse", OUTDIR)
case("run-journal-empty", ["run", "--scenario", "steady-show", "--speed", "max", "--journal", ""], "refuse", "--journal")
case("run-report-devnull", ["run", "--scenario", "steady-show", "--speed", "max", "--report", "/dev/full"], "any", None)
if ro_ok:
    case("run-report-ro", ["run", "--scenario", "steady-show", "--speed", "max", "--report", os.path.join(RO, "r.json")], "refuse", "ro/r.json")
    case("run-journal-ro", ["run", "--scenario", "steady-show", "--speed", "max", "--journal", os.path.join(RO, "j.jsonl")], "refuse", "ro/j.jsonl")
case("run-same-report-journal", ["run", "--scenario", "steady-show", "--speed", "max", "--report", os.path.join(OUTDIR, "same"), "--journal", os.path.join(OUTDIR, "same")], "refuse", "same")
# --- validate
for k, p in BAD.items():
    case(f"validate[{k}]", ["validate", p], "any" if k in ("bom",) or k.startswith("scen-dup") else "refuse", None)
case("validate-none", ["validate"], "refuse", "FILE")
case("validate-two", ["validate", BAD["obj"], BAD["obj"]], "refuse", None)
# --- sweep
for v in ["0", "-1", "100001", "abc", "", "1e3"]:
    case(f"sweep-seeds[{v}]", ["sweep", "--scenario", "steady-show", "--seeds", v], "refuse", "--seeds")
for v in ["0", "-1", "65", "abc", "99999999999"]:
    case(f"sweep-threads[{v}]", ["sweep", "--scenario", "steady-show", "--seeds", "1", "--threads", v], "refuse", "--threads")
for v in ["-1", "abc", "9223372036854775807", "-9223372036854775808"]:
    case(f"sweep-from[{v}]", ["sweep", "--scenario", "steady-show", "--seeds", "1", "--from", v, "--threads", "1"], "refuse" if v in ("abc",) else "any", "--from")
for v in ["", "conversion", "conversion:", "conversion:abc", "conversion:-200%", "conversion:+20%", "chat:sweet", "latency:x", "conversion:-20", "conversion:-1e999%", "conversion:NaN%"]:
    case(f"sweep-effect[{v}]", ["sweep", "--scenario", "steady-show", "--seeds", "1", "--threads", "1", "--effect", v], "refuse", "--effect")
case("sweep-multi-noaa", ["sweep", "--scenario", "steady-show", "--scenario", "steady-show", "--seeds", "1"], "refuse", "--scenario")
case("sweep-badfile", ["sweep", "--scenario", BAD["trunc"], "--seeds", "1"], "refuse", "trunc.json")
# --- replay
for k in ["empty", "binary", "trunc", "dir", "missing", "obj", "huge", "devnull"]:
    case(f"replay-journal[{k}]", ["replay", "--journal", BAD[k]], "refuse", None)
jr = f("journal-garbage.jsonl", '{"type":"nope"}\n{"t":1\n')
case("replay-journal-garbage", ["replay", "--journal", jr], "refuse", "journal-garbage")
for k in ["empty", "binary", "trunc", "dir", "missing", "obj", "array"]:
    case(f"replay-dryrun[{k}]", ["replay", "--journal", jr, "--dry-run", BAD[k]], "refuse", None)
# --- bundle
for v in ["0", "-1", "86401", "abc", "", "1.5"]:
    case(f"bundle-until[{v}]", ["bundle", "--scenario", "steady-show", "--until", v, "--out", os.path.join(OUTDIR, "b.zip")], "refuse", "--until")
case("bundle-out-dir", ["bundle", "--scenario", "steady-show", "--until", "5", "--out", OUTDIR], "refuse", OUTDIR)
case("bundle-out-exists", ["bundle", "--scenario", "steady-show", "--until", "5", "--out", f("old.zip", "old")], "any", None)
case("bundle-out-missingparent", ["bundle", "--scenario", "steady-show", "--until", "5", "--out", os.path.join(W, "x/y/b.zip")], "refuse", "x/y")
case("bundle-out-empty", ["bundle", "--scenario", "steady-show", "--until", "5", "--out", ""], "refuse", "--out")
if ro_ok:
    case("bundle-out-ro", ["bundle", "--scenario", "steady-show", "--until", "5", "--out", os.path.join(RO, "b.zip")], "refuse", "ro/b.zip")
case("bundle-scen-bin", ["bundle", "--scenario", BAD["binary"], "--out", os.path.join(OUTDIR, "b2.zip")], "refuse", "binary.json")
# --- operators
DD = os.path.join(W, "dd")
os.makedirs(DD, exist_ok=True)
for v in ["", "a b", "../x", "é", "x" * 500, "-rf", ".", "..", "a/b", "NUL"]:
    case(f"operators-add-name[{v[:20]}]", ["operators", "add", "--role", "viewer", "--data-dir", DD, "--token-out", os.path.join(OUTDIR, "t.token"), "--", v], "refuse", "NAME")
for v in ["", "admin", "VIEWER", "root"]:
    case(f"operators-add-role[{v}]", ["operators", "add", "--role", v, "--data-dir", DD, "--token-out", os.path.join(OUTDIR, "t2.token"), "alice"], "refuse", "--role")
case("operators-add-datadir-file", ["operators", "add", "--role", "viewer", "--data-dir", BAD["obj"], "--token-out", os.path.join(OUTDIR, "t3.token"), "alice"], "refuse", "obj.json")
case("operators-add-datadir-missing", ["operators", "add", "--role", "viewer", "--data-dir", os.path.join(W, "nodd"), "--token-out", os.path.join(OUTDIR, "t4.token"), "alice"], "refuse", "nodd")
case("operators-add-tokenout-exists", ["operators", "add", "--role", "viewer", "--data-dir", DD, "--token-out", BAD["obj"], "carol"], "refuse", "obj.json")
case("operators-add-tokenout-dir", ["operators", "add", "--role", "viewer", "--data-dir", DD, "--token-out", OUTDIR, "dave"], "refuse", OUTDIR)
case("operators-add-tokenout-missingparent", ["operators", "add", "--role", "viewer", "--data-dir", DD, "--token-out", os.path.join(W, "q/r/t"), "erin"], "refuse", "q/r")
case("operators-add-both", ["operators", "add", "--role", "viewer", "--data-dir", DD, "--node", "x", "alice"], "refuse", "--node")
case("operators-add-node-bad", ["operators", "add", "--role", "viewer", "--node", "../..", "alice"], "refuse", "--node")
case("operators-list-missing", ["operators", "list", "--data-dir", os.path.join(W, "nodd2")], "refuse", "nodd2")
case("operators-list-file", ["operators", "list", "--data-dir", BAD["obj"]], "refuse", "obj.json")
case("operators-revoke-unknown", ["operators", "revoke", "--data-dir", DD, "nobody"], "refuse", "nobody")
case("operators-revoke-noname", ["operators", "revoke", "--data-dir", DD], "refuse", "NAME")
case("operators-unknown", ["operators", "frob"], "refuse", "frob")
# corrupt operators file
DD2 = os.path.join(W, "dd2"); os.makedirs(DD2, exist_ok=True)
# --- serve (options only; serve start-up path belongs to another helper)
for v in ["-1", "65536", "abc", "", "99999999999"]:
    case(f"serve-port[{v}]", ["serve", "--port", v, "--data-dir", os.path.join(W, "sdd")], "refuse", "--port")
for v in ["", "abc", "0", "-1", "NaN"]:
    case(f"serve-speed[{v}]", ["serve", "--speed", v, "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", "--speed")
for v in ["", "999.1.1.1", "example.invalid", "::g"]:
    case(f"serve-bind[{v}]", ["serve", "--bind", v, "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", "--bind")
for o in ["--snapshot-every-minutes", "--snapshot-every-records"]:
    for v in ["0", "-1", "abc", "99999999999999"]:
        case(f"serve{o}[{v}]", ["serve", o, v, "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", o)
case("serve-datadir-file", ["serve", "--data-dir", BAD["obj"], "--port", "0"], "refuse", "obj.json")
case("serve-datadir-empty", ["serve", "--data-dir", "", "--port", "0"], "refuse", "--data-dir")
case("serve-datadir-blank", ["serve", "--data-dir", " ", "--port", "0"], "refuse", "--data-dir")
if ro_ok:
    case("serve-datadir-ro", ["serve", "--data-dir", os.path.join(RO, "n"), "--port", "0"], "refuse", "ro/n")
for k in ["empty", "binary", "trunc", "dir", "missing", "obj", "array", "huge", "node-nopops", "node-popsnull", "node-badpop",
          "node-negdelay", "node-hugedelay", "node-weightneg", "node-weightstr", "node-noflagkey", "node-flagsobj", "node-cors",
          "node-cors2", "node-connectors-bad", "node-connectors-unknown", "node-guard-window0", "node-guard-op",
          "node-trigger-count0", "node-probe-url", "nodetrunc"]:
    case(f"serve-nodeconfig[{k}]", ["serve", "--live", "--node-config", BAD[k], "--port", "0", "--data-dir", os.path.join(W, "sdd-" + k)], "refuse", None)
case("serve-live-noconfig", ["serve", "--live", "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", "--node-config")
case("serve-nodeconfig-nolive", ["serve", "--node-config", "x", "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", "--node-config")
for k in ["empty", "binary", "trunc", "dir", "missing", "array", "node-connectors-bad", "node-connectors-unknown"]:
    case(f"serve-connectors[{k}]", ["serve", "--connectors", BAD[k], "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", None)
for k in ["empty", "binary", "dir", "missing"]:
    case(f"serve-tls[{k}]", ["serve", "--tls-cert", BAD[k], "--tls-key", BAD[k], "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", "--tls")
    case(f"serve-kafkaconfig[{k}]", ["serve", "--live", "--node-config", "steady-show", "--kafka", "127.0.0.1:1", "--node-id", "n1", "--kafka-config", BAD[k], "--port", "0", "--data-dir", os.path.join(W, "kdd-" + k)], "refuse", "--kafka-config")
    case(f"serve-nodesreadkey[{k}]", ["serve", "--fleet", "--kafka", "127.0.0.1:1", "--nodes-read-key", BAD[k], "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", "--nodes-read-key")
case("serve-tls-certonly", ["serve", "--tls-cert", BAD["obj"], "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", "--tls-key")
for v in ["", "a b", "../x", "x" * 300]:
    case(f"serve-name[{v[:10]}]", ["serve", "--name", v, "--port", "0"], "refuse", "--name")
    case(f"serve-nodeid[{v[:10]}]", ["serve", "--live", "--node-config", "steady-show", "--kafka", "127.0.0.1:1", "--node-id", v, "--port", "0", "--data-dir", os.path.join(W, "kdd-n" + str(len(cases)))], "refuse", "--node-id")
for v in ["", "nohost", "127.0.0.1:abc", "127.0.0.1:99999", ",,,"]:
    case(f"serve-kafka[{v}]", ["serve", "--live", "--node-config", "steady-show", "--kafka", v, "--node-id", "n1", "--port", "0", "--data-dir", os.path.join(W, "kdd-k" + str(len(cases)))], "refuse", "--kafka")
for v in ["", "notaurl", "ftp://x", "http://", "http://a b"]:
    case(f"serve-advertise[{v}]", ["serve", "--live", "--node-config", "steady-show", "--kafka", "127.0.0.1:1", "--node-id", "n1", "--advertise", v, "--port", "0", "--data-dir", os.path.join(W, "kdd-a" + str(len(cases)))], "refuse", "--advertise")
for v in ["", "a b", "x" * 300, "bad/prefix"]:
    case(f"serve-kafkatopics[{v[:10]}]", ["serve", "--live", "--node-config", "steady-show", "--kafka", "127.0.0.1:1", "--node-id", "n1", "--kafka-topics", v, "--port", "0", "--data-dir", os.path.join(W, "kdd-t" + str(len(cases)))], "refuse", "--kafka-topics")
case("serve-fleet-nokafka", ["serve", "--fleet", "--port", "0", "--data-dir", os.path.join(W, "sdd")], "refuse", "--kafka")
case("serve-fleet-live", ["serve", "--fleet", "--live", "--kafka", "127.0.0.1:1", "--port", "0"], "refuse", "--fleet")
# --- load
for v in ["", "notaurl", "ftp://127.0.0.1:1", "http://", "http://127.0.0.1:1", "http://[::1", "http://127.0.0.1:99999"]:
    case(f"load-target[{v}]", ["load", "--scenario", "steady-show", "--target", v, "--token-file", BAD["obj"], "--read-key-file", BAD["obj"], "--ingest-key-file", BAD["obj"]], "any" if v == "http://127.0.0.1:1" else "refuse", "--target")
for k in ["empty", "ws", "dir", "missing", "binary", "huge"]:
    case(f"load-tokenfile[{k}]", ["load", "--scenario", "steady-show", "--target", "http://127.0.0.1:1", "--token-file", BAD[k], "--read-key-file", BAD["obj"], "--ingest-key-file", BAD["obj"]], "refuse", BAD[k] if k != "huge" else "--token-file")
case("load-keydir-missing", ["load", "--scenario", "steady-show", "--target", "http://127.0.0.1:1", "--key-dir", os.path.join(W, "nokd")], "refuse", "nokd")
case("load-keydir-empty", ["load", "--scenario", "steady-show", "--target", "http://127.0.0.1:1", "--key-dir", DD2], "refuse", "dd2")
case("load-nokeys", ["load", "--scenario", "steady-show", "--target", "http://127.0.0.1:1"], "refuse", None)
case("load-report-dir", ["load", "--scenario", "steady-show", "--target", "http://127.0.0.1:1", "--key-dir", DD2, "--report", OUTDIR], "refuse", None)
# --- sentiment
for k in ["empty", "binary", "dir", "missing", "huge"]:
    case(f"sentiment-labelled[{k}]", ["sentiment", "--labelled", BAD[k]], "refuse" if k != "empty" else "any", None)
case("sentiment-labelled-badlabel", ["sentiment", "--labelled", f("lab.tsv", "good\thello\n")], "refuse", "lab.tsv")
case("sentiment-labelled-notab", ["sentiment", "--labelled", f("lab2.tsv", "pos hello\n")], "refuse", "lab2.tsv")
case("sentiment-tweets-noeval", ["sentiment", "--tweets", BAD["obj"]], "refuse", "--tweets")
case("sentiment-stdin-binary", ["sentiment"], "any", None, bytes(range(256)) * 10)
case("sentiment-devonly-noeval", ["sentiment", "--development-only"], "refuse", "--development-only")

JR = os.path.join(W, "rec.jsonl")
case("setup-record", ["run", "--scenario", "pop-outage", "--journal", JR], "any", None)
case("replay-report-is-journal", ["replay", "--journal", JR, "--report", JR], "refuse", "--journal")
case("replay-report-is-dryrun", ["replay", "--journal", JR, "--dry-run", BAD["obj"], "--report", BAD["obj"]], "refuse", None)
case("run-report-is-scenario", ["run", "--scenario", BAD["scen-unknownfield"], "--report", BAD["scen-unknownfield"]], "refuse", None)
case("bundle-out-is-scenario", ["bundle", "--scenario", f("mine.json", GOOD_SCEN), "--out", os.path.join(W, "mine.json")], "refuse", "--scenario")
case("operators-list-emptydir", ["operators", "list", "--data-dir", ""], "refuse", "--data-dir")
case("operators-add-emptydir", ["operators", "add", "--role", "viewer", "--data-dir", "", "--token-out", os.path.join(OUTDIR, "z.token"), "zed"], "refuse", "--data-dir")
case("load-keydir-emptystr", ["load", "--scenario", "steady-show", "--target", "http://127.0.0.1:1", "--key-dir", ""], "refuse", "--key-dir")
case("load-tokenfile-zip", ["load", "--scenario", "steady-show", "--target", "http://127.0.0.1:1", "--token-file", f("k.zip", b"PK\x03\x04\xff\xfe"), "--read-key-file", f("rk", "abc"), "--ingest-key-file", f("ik", "abc")], "refuse", "does not hold a key")
case("serve-scenario-dir", ["serve", "--scenario", W, "--port", "0", "--data-dir", os.path.join(W, "sdir")], "refuse", "is a directory")
case("sweep-scenario-dir", ["sweep", "--scenario", W, "--seeds", "1"], "refuse", "is a directory")
case("replay-scenario-dir", ["replay", "--journal", JR, "--scenario", W], "refuse", None)
case("load-scenario-dir", ["load", "--scenario", W, "--target", "http://127.0.0.1:1", "--key-dir", DD2], "refuse", None)

def tree_sig(paths):
    sig = {}
    for base in paths:
        if not os.path.exists(base): sig[base] = None; continue
        if os.path.isfile(base):
            sig[base] = os.stat(base).st_mtime_ns, os.path.getsize(base); continue
        for d, ds, fs in os.walk(base):
            for x in fs + ds:
                p = os.path.join(d, x)
                try: st = os.stat(p); sig[p] = (st.st_mtime_ns, st.st_size) if os.path.isfile(p) else "dir"
                except OSError: sig[p] = "?"
    return sig

STACK = re.compile(r"^\s+at [\w.$]+\(|Exception in thread|^[\w.]+(Exception|Error)(:|$)|Caused by:", re.M)
findings = []
n = 0
for (name, args, expect, mention, stdin, timeout) in cases:
    if ONLY and not re.search(ONLY, name): continue
    n += 1
    before = tree_sig([W])
    t0 = time.time()
    try:
        p = subprocess.run([JAVA, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", JAR] + args, input=stdin or b"",
                           capture_output=True, timeout=timeout, cwd=OUTDIR)
        rc, out, err = p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        rc, out, err = "HANG", (e.stdout or b"").decode("utf-8", "replace"), (e.stderr or b"").decode("utf-8", "replace")
    dt = time.time() - t0
    after = tree_sig([W])
    text = out + err
    probs = []
    if rc == "HANG": probs.append("hang")
    elif rc not in (0, 1, 2, 3): probs.append(f"undocumented exit {rc}")
    if STACK.search(text): probs.append("stack trace")
    if expect == "refuse":
        if rc == 0: probs.append("exit 0 on a refusal")
        if rc == 1: probs.append("exit 1 (internal error) on bad input")
        if mention and mention not in text: probs.append(f"message does not name {mention!r}")
        if before != after:
            changed = sorted(set(k for k in set(before) | set(after) if before.get(k) != after.get(k)))
            probs.append("files changed: " + ", ".join(c.replace(W, "W") for c in changed[:5]))
    line = f"{'FLAG' if probs else 'ok  '} {name} rc={rc} {dt:.1f}s {'; '.join(probs)}"
    print(line, flush=True)
    if probs:
        findings.append(line)
        print("     | " + text.strip().replace("\n", "\n     | ")[:1200], flush=True)
print(f"\n{n} inputs, {len(findings)} flagged")
for l in findings: print(l)
if ro_ok: subprocess.run(["chattr", "-i", RO])
