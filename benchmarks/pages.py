"""Page weight: the main pages loaded in Chromium through a slow office line, cold and warm.

    .venv/bin/python benchmarks/pages.py [--runs 3] [--kbps 1500] [--latency 300]

1. Prepares a fresh SQLite database with the demo data (``flask db upgrade``, ``flask demo``) in a
   temporary folder and runs the static build step (``flask digest compile``) as production does
   (--no-build: not, e.g. on a checkout from before that step).
2. Starts gunicorn with gunicorn.conf.py on 127.0.0.1 (a free port; nothing else is ever contacted).
3. Logs in as the demo users and loads each page in headless Chromium (Playwright, Debian's Chromium)
   with the line throttled through the Chrome DevTools Protocol (Network.emulateNetworkConditions:
   --kbps down and up, --latency ms added to every request):
   cold = a browser context with an empty cache (only the login cookie), warm = the same page again.
4. Prints, per page, the median over --runs of the bytes on the wire (response headers and bodies as
   received, i.e. compressed), the number of requests that went to the network (a revalidation counts)
   and the time until the load event.

Exit code 1 when a target is missed: any cold page over 300 KB, the aspect page cold over 2 s or warm
over 0.8 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import LOOPBACK, ROOT, free_port, gunicorn, server_environment

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
DEMO_PASSWORD = "demo-pekppp"
COLD_BYTES_TARGET = 300 * 1024
ASPECT_COLD_TARGET, ASPECT_WARM_TARGET = 2.0, 0.8


@dataclass
class Load:
    bytes: int
    requests: int
    seconds: float


def flask(*args: str, env: dict) -> None:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


class ThrottledPage:
    """One browser page behind the throttle, counting what reaches the network."""

    def __init__(self, context, kbps: int, latency_ms: int):
        self.page = context.new_page()
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        throughput = kbps * 1000 / 8  # bytes per second
        self.cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": latency_ms, "downloadThroughput": throughput, "uploadThroughput": throughput})
        self.bytes = self.network_requests = 0
        self.cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event: dict) -> None:
        """A file served from the browser's cache arrives with 0 bytes; a revalidation (304) still costs its headers."""
        if event["encodedDataLength"] > 0:
            self.bytes += int(event["encodedDataLength"])
            self.network_requests += 1

    def load(self, url: str) -> Load:
        self.bytes = self.network_requests = 0
        started = time.perf_counter()
        self.page.goto(url, wait_until="load")
        seconds = time.perf_counter() - started
        self.page.wait_for_timeout(200)  # the last loadingFinished events arrive just after the load event
        return Load(self.bytes, self.network_requests, seconds)


def log_in(browser, base_url: str, username: str) -> dict:
    """The cookies of a logged-in session, fetched unthrottled in a context thrown away afterwards."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("load")
    links = {}
    if username != "organisasi":  # aspect a, the longest page: 9 indicators with every level's criterion
        links["aspect"] = page.locator("a[href$='/aspek/a']").first.get_attribute("href")
    else:
        page.goto("/organisasi/")
        links["review"] = page.locator("a[href$='/verifikasi']").first.get_attribute("href")
    state = context.storage_state()
    context.close()
    return {"state": state, "links": links}


def measure(browser, base_url: str, path: str, state: dict | None, kbps: int, latency: int) -> tuple[Load, Load]:
    context = browser.new_context(base_url=base_url, storage_state=state, viewport={"width": 1366, "height": 900})
    try:
        page = ThrottledPage(context, kbps, latency)
        cold = page.load(base_url + path)
        warm = page.load(base_url + path)
        return cold, warm
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="loads of each page, cold and warm (the median is printed)")
    parser.add_argument("--kbps", type=int, default=1500, help="line speed, kilobits per second, down and up")
    parser.add_argument("--latency", type=int, default=300, help="milliseconds added to every request")
    parser.add_argument("--no-build", dest="build", action="store_false",
                        help="skip the static build step (a checkout from before it, for the 'before' figures)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="pekppp-pages-") as folder:
        port = free_port()
        env = server_environment(f"sqlite:///{Path(folder) / 'pekppp.sqlite'}", port, None, None)
        env.update({"PEKPPP_EVIDENCE_DIR": str(Path(folder) / "evidence"),
                    "PEKPPP_PDF_CACHE_DIR": str(Path(folder) / "pdf-cache")})
        flask("db", "upgrade", env=env)
        flask("demo", env=env)
        if args.build:
            flask("digest", "compile", env=env)
        base_url = f"http://{LOOPBACK}:{port}"
        with gunicorn(env, port, Path(folder), "wsgi:app"), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            opd, reviewer = log_in(browser, base_url, "disdukcapil"), log_in(browser, base_url, "organisasi")
            aspect = opd["links"]["aspect"]
            pages = [
                ("login", "/masuk", None),
                ("OPD dashboard", "/penilaian", opd),
                ("aspect page", aspect, opd),
                ("summary", aspect.split("/aspek/")[0] + "/ringkasan", opd),
                ("reviewer queue", "/organisasi/", reviewer),
                ("review page", reviewer["links"]["review"], reviewer),
                ("results", "/organisasi/hasil/", reviewer),
            ]
            results = {}
            for name, path, who in pages:
                loads = [measure(browser, base_url, path, who and who["state"], args.kbps, args.latency)
                         for _ in range(args.runs)]
                results[name] = [Load(*(statistics.median(getattr(run[i], key) for run in loads)
                                        for key in ("bytes", "requests", "seconds"))) for i in (0, 1)]
            browser.close()
    load_after = os.getloadavg()
    report(results, args, load_before, load_after)


def report(results: dict[str, list[Load]], args, load_before, load_after) -> None:
    print(f"Chromium through {args.kbps} kbit/s, +{args.latency} ms per request; median of {args.runs} runs; "
          f"static build step {'run' if args.build else 'skipped'}")
    print(f"{'page':<16} {'cold KB':>8} {'req':>4} {'cold s':>7}   {'warm KB':>8} {'req':>4} {'warm s':>7}")
    for name, (cold, warm) in results.items():
        print(f"{name:<16} {cold.bytes / 1024:>8.1f} {cold.requests:>4.0f} {cold.seconds:>7.2f}   "
              f"{warm.bytes / 1024:>8.1f} {warm.requests:>4.0f} {warm.seconds:>7.2f}")
    print(f"load average {load_before[0]:.2f} -> {load_after[0]:.2f}")
    missed = [f"{name}: cold {cold.bytes / 1024:.0f} KB > 300 KB"
              for name, (cold, _) in results.items() if cold.bytes > COLD_BYTES_TARGET]
    cold, warm = results["aspect page"]
    if cold.seconds > ASPECT_COLD_TARGET:
        missed.append(f"aspect page: cold {cold.seconds:.2f} s > {ASPECT_COLD_TARGET} s")
    if warm.seconds > ASPECT_WARM_TARGET:
        missed.append(f"aspect page: warm {warm.seconds:.2f} s > {ASPECT_WARM_TARGET} s")
    for line in missed:
        print(f"TARGET MISSED: {line}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
