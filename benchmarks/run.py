"""Benchmark: the site under gunicorn with production settings, driven by wrk.

    .venv/bin/python benchmarks/run.py [--duration 10] [--soak 60] [--scale 100]

Loads the demo plus `generate_bulk_data --scale N` into a fresh database (PostgreSQL at
127.0.0.1 when reachable, else SQLite), starts gunicorn (2 sync workers) on 127.0.0.1,
warms up, and measures each page with the page cache on and off. Every figure is reported
as a ratio to a static file served by WhiteNoise in the same run: the ceiling of the stack.
Prints one table and writes benchmarks/results/latest.json.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PYTHON = sys.executable
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"

# Targets from the speed issue, as ratios to the static-file ceiling.
CACHED_MIN_RATIO = 0.8
CACHED_MAX_P99_MS = 15
UNCACHED_MIN_RATIO = {"list": 0.12, "detail": 0.12, "search": 0.08}
UNCACHED_MAX_P99_MS = 100
MAX_WORKER_MB = 150
MAX_MEMORY_GROWTH = 0.10


def sh(*args, env=None, check=True, capture=False):
    return subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        check=check,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
    )


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("Installing wrk from Debian …")
    sh("apt-get", "update", "-qq")
    sh("apt-get", "install", "-y", "-qq", "wrk")


def postgres_reachable():
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


def redis_reachable():
    try:
        import redis

        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping()
    except Exception:
        return False


def prepare_environment(scale):
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "benchmark-only-" + os.urandom(24).hex(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_MEDIA_ROOT": str(RESULTS / "media"),
            "DEMO_ADMIN_PASSWORD": "benchmark-" + os.urandom(8).hex(),
        }
    )
    if postgres_reachable():
        sh(
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-q",
            "-c",
            "DROP DATABASE IF EXISTS gzc_bench",
        )
        sh("psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "CREATE DATABASE gzc_bench")
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/gzc_bench"
    else:
        db = RESULTS / "bench.sqlite3"
        db.unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    if redis_reachable():
        env["CACHE_URL"] = "redis://127.0.0.1:6379/5"
        import redis

        redis.Redis(host="127.0.0.1", port=6379, db=5).flushdb()
    shutil.rmtree(RESULTS / "media", ignore_errors=True)
    print(f"Database: {env['DATABASE_URL']}  cache: {env.get('CACHE_URL', 'local memory')}")
    sh(PYTHON, "manage.py", "load_demo", "--no-user", env=env, capture=True)
    sh(PYTHON, "manage.py", "generate_bulk_data", "--scale", str(scale), env=env)
    sh(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    return env


def first_slug(env, model):
    code = (
        "import django; django.setup();"
        f"from directory.models import {model} as M;"
        "qs = M.objects.published().order_by('pk').values_list('slug', flat=True);"
        "print(qs.exclude(slug__startswith='bulk-').first() or qs.first())"
    )
    return (
        sh(
            PYTHON,
            "-c",
            code,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def static_file():
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"].get("css/site.css") or next(iter(manifest["paths"].values()))
    return "/static/" + hashed


def pages(env):
    inst, ent = first_slug(env, "Institution"), first_slug(env, "Enterprise")
    park, news = first_slug(env, "Park"), first_slug(env, "Article")
    return [
        ("static file", "static", static_file()),
        ("home", "detail", "/"),
        ("institutions", "list", "/institutions/"),
        ("institutions filtered", "list", "/institutions/?kind=technician&ordering=pinyin"),
        ("institution detail", "detail", f"/institutions/{inst}/"),
        ("enterprises", "list", "/enterprises/"),
        ("enterprises filtered", "list", "/enterprises/?relation=settled"),
        ("enterprise detail", "detail", f"/enterprises/{ent}/"),
        ("parks", "list", "/parks/"),
        ("park detail", "detail", f"/parks/{park}/"),
        ("partnerships", "list", "/partnerships/"),
        ("partnerships filtered", "list", "/partnerships/?kind=joint_college"),
        ("news", "list", "/news/"),
        ("news filtered", "list", "/news/?year=2020"),
        ("news detail", "detail", f"/news/{news}/"),
        ("figures", "list", "/figures/"),
        ("compare", "detail", "/compare/?items=" + inst),
        ("search (Chinese)", "search", "/search/?q=%E4%BA%94%E4%B8%80"),
        ("search (pinyin)", "search", "/search/?q=wuyi"),
        ("English home", "detail", "/en/"),
        ("sitemap", "detail", "/sitemap.xml"),
        ("feed", "detail", "/news/feed/"),
    ]


class Server:
    def __init__(self, env, cache_enabled):
        self.env = {
            **env,
            "DJANGO_PAGE_CACHE": "1" if cache_enabled else "0",
            # Production settings plus the benchmark-only /reference/ page.
            "DJANGO_SETTINGS_MODULE": "benchmarks.reference_settings",
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            "GUNICORN_WORKERS": "2",
            # No recycling: "memory after" is then that of workers that served the whole run.
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_ACCESS_LOG": "",
        }
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "-c",
                "config/gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/robots.txt", timeout=2)
                return self
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    def worker_rss_mb(self):
        """Resident memory of each gunicorn worker (children of the master), from /proc."""
        sizes = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
                )
            except OSError:
                continue
            if int(fields.get("PPid", "0").strip()) == self.process.pid:
                sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        return sorted(sizes)


def status_of(path):
    try:
        return urllib.request.urlopen(BASE + path, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(path, duration, connections=16, script=None):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if script:
        args += ["-s", str(script)]
    out = sh(*args, BASE + path, capture=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50_ms": to_ms(latency.get("50", "0ms")),
        "p99_ms": to_ms(latency.get("99", "0ms")),
        "errors": (sum(map(int, errors.groups())) if errors else 0)
        + (int(non2xx.group(1)) if non2xx else 0),
        "requests": total,
    }


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


# The reference, measured only without the cache: see reference_settings.py.
REFERENCE = ("reference: plain list, 50 rows", "reference", "/reference/")


def measure(env, duration, cache_enabled, page_list):
    rows = []
    if not cache_enabled:
        page_list = [*page_list, REFERENCE]
    with Server(env, cache_enabled):
        for _, _, path in page_list:  # warm up: caches, connections, template loader
            for _ in range(3):
                assert status_of(path) == 200, f"{path} answered {status_of(path)}"
        for name, kind, path in page_list:
            result = wrk(path, duration)
            rows.append(
                {
                    "page": name,
                    "kind": kind,
                    "path": path,
                    "cache": "on" if cache_enabled else "off",
                    **result,
                }
            )
            mode = "cached" if cache_enabled else "uncached"
            print(f"  {mode:8} {name:24} {result['rps']:8.0f} r/s")
    return rows


def soak(env, seconds, page_list):
    script = RESULTS / "mixed.lua"
    paths = [p for _, _, p in page_list]
    # Every 20th request goes to one of a few hundred long-tail addresses (searches, deep
    # pages) that miss the cache: built afresh, and they fill each worker's bounded copies.
    tail = ["/search/?q=", "/enterprises/?page=", "/news/?page=", "/institutions/?q="]
    script.write_text(
        "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
        "local tail = {" + ",".join(json.dumps(p) for p in tail) + "}\n"
        "local i = 0\nrequest = function()\n  i = i + 1\n"
        "  if i % 20 == 0 then\n"
        "    local prefix = tail[(i / 20) % #tail + 1]\n"
        "    return wrk.format('GET', prefix .. math.random(1, 60))\n"
        "  end\n"
        "  return wrk.format('GET', paths[i % #paths + 1])\nend\n"
    )
    with Server(env, cache_enabled=True) as server:
        # The same load first, unmeasured: "before" is then a worker in its steady state
        # (templates, connections and its bounded page copies filled), so growth means a leak.
        wrk("/", min(seconds, 20), connections=32, script=script)
        before = server.worker_rss_mb()
        result = wrk("/", seconds, connections=32, script=script)
        after = server.worker_rss_mb()
    return {**result, "rss_before_mb": before, "rss_after_mb": after}


def verdicts(rows, ceiling, mixed):
    failures = []
    for row in rows:
        if row["kind"] in ("static", "reference"):
            continue
        if row["cache"] == "on":
            if row["ratio"] < CACHED_MIN_RATIO:
                failures.append(f"cached {row['page']}: ratio {row['ratio']} < {CACHED_MIN_RATIO}")
            if row["p99_ms"] > CACHED_MAX_P99_MS:
                failures.append(
                    f"cached {row['page']}: p99 {row['p99_ms']} ms > {CACHED_MAX_P99_MS}"
                )
        else:
            minimum = UNCACHED_MIN_RATIO.get(row["kind"], 0.12)
            if row["ratio"] < minimum:
                failures.append(f"uncached {row['page']}: ratio {row['ratio']} < {minimum}")
            if row["p99_ms"] > UNCACHED_MAX_P99_MS:
                failures.append(
                    f"uncached {row['page']}: p99 {row['p99_ms']} ms > {UNCACHED_MAX_P99_MS}"
                )
        if row["errors"]:
            failures.append(f"{row['page']} ({row['cache']}): {row['errors']} errors")
    if mixed:
        if mixed["errors"]:
            failures.append(f"mixed load: {mixed['errors']} errors or non-2xx/3xx")
        for before, after in zip(mixed["rss_before_mb"], mixed["rss_after_mb"], strict=False):
            if after > MAX_WORKER_MB:
                failures.append(f"worker memory {after} MB > {MAX_WORKER_MB} MB")
            if after > before * (1 + MAX_MEMORY_GROWTH):
                failures.append(f"worker memory grew {before} -> {after} MB (> 10%)")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--soak", type=int, default=60, help="seconds of mixed load (0: skip)")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--skip-setup", action="store_true", help="reuse the last database")
    args = parser.parse_args()

    ensure_wrk()
    env = (
        json.loads((RESULTS / "env.json").read_text())
        if args.skip_setup
        else prepare_environment(args.scale)
    )
    (RESULTS / "env.json").write_text(json.dumps(env))
    page_list = pages(env)
    rows = measure(env, args.duration, True, page_list) + measure(
        env, args.duration, False, page_list
    )
    ceiling = next(r["rps"] for r in rows if r["kind"] == "static" and r["cache"] == "on")
    for row in rows:
        row["ratio"] = round(row["rps"] / ceiling, 3)
    mixed = soak(env, args.soak, page_list[1:]) if args.soak else None

    print(
        f"\n{'page':32}{'cache':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}"
    )
    for row in rows:
        print(
            f"{row['page']:32}{row['cache']:>6}{row['rps']:9.0f}{row['p50_ms']:9.2f}"
            f"{row['p99_ms']:9.2f}{row['errors']:8d}{row['ratio']:8.3f}"
        )
    if mixed:
        print(
            f"\nmixed load, 32 connections, {args.soak}s: {mixed['rps']:.0f} req/s, "
            f"p99 {mixed['p99_ms']} ms, errors {mixed['errors']}, worker RSS "
            f"{mixed['rss_before_mb']} -> {mixed['rss_after_mb']} MB"
        )
    failures = verdicts(rows, ceiling, mixed)
    (RESULTS / "latest.json").write_text(
        json.dumps(
            {
                "ceiling_rps": ceiling,
                "rows": rows,
                "mixed": mixed,
                "failures": failures,
                "database": env["DATABASE_URL"].split(":")[0],
                "cache": env.get("CACHE_URL", "locmem"),
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print("\nTargets: " + ("all met" if not failures else "MISSED\n  " + "\n  ".join(failures)))
    print(f"Results: {RESULTS / 'latest.json'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
