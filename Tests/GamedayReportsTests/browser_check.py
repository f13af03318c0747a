#!/usr/bin/env python3
"""Opens a gameday HTML report in headless Chromium and checks its DOM.

Usage: browser_check.py REPORT.html --kind whatif|replay [--screenshot OUT.png] [--width 1200]

Checks that the page loads from the file alone (no network requests), logs no console
errors, and has the charts drawn from its embedded JSON (#gameday-data): the outcome chart
with one row per shown variant, both cumulative distributions with one series per variant,
the timeline with one panel per run, and (whatif) one attribution bar per control. Every
chart must be an accessible SVG (role="img", a <title>) of a visible size.

Exit status: 0 when every check passes, 1 when one fails, 2 when Chromium or Selenium is
missing (the Swift test that runs this script fails then: CI installs them in .ci/run).
"""
import argparse
import json
import os
import shutil
import sys


def find_browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def find_driver():
    for path in (shutil.which("chromedriver"), "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"):
        if path and os.path.exists(path):
            return path
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--kind", choices=["whatif", "replay"], required=True)
    parser.add_argument("--screenshot")
    parser.add_argument("--width", type=int, default=1200)
    args = parser.parse_args()

    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
    except ImportError:
        print("selenium is not installed (python3 -m pip install selenium)", file=sys.stderr)
        return 2
    browser, driver_path = find_browser(), find_driver()
    if not browser or not driver_path:
        print("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)", file=sys.stderr)
        return 2

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 f"--window-size={args.width},900", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    failures = []

    def check(condition, message):
        if not condition:
            failures.append(message)

    try:
        driver.get("file://" + os.path.abspath(args.report))
        data = json.loads(driver.find_element(By.ID, "gameday-data").get_attribute("textContent"))
        check(driver.title.strip() != "", "the page has no title")

        # Self-contained: nothing fetched besides the file itself, no errors in the console.
        resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        check(resources == [], f"the page fetched resources: {resources}")
        errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
        check(errors == [], f"console errors: {errors}")

        def charts(name):
            return driver.find_elements(By.CSS_SELECTOR, f'svg[data-chart="{name}"]')

        if args.kind == "whatif":
            shown = [v for v in data["variants"] if v["role"] != "subset"]
            expected_rows = 1 + len(shown)
            expected_panels = len(data.get("representative_trial", {}).get("runs", []))
        else:
            expected_rows = 1 + len(data["counterfactuals"])
            expected_panels = 1 + len(data["counterfactuals"])
            rows = driver.find_elements(By.CSS_SELECTOR, 'table[data-table="calibration"] tbody tr')
            check(len(rows) == len(data["factual"]["milestones"]), f"calibration rows: {len(rows)}")

        required = ["timeline"]
        if args.kind == "whatif" or data["counterfactuals"]:
            required += ["outcomes", "cdf-time_to_mitigate", "cdf-failed_requests"]
        if args.kind == "whatif" and data.get("attribution", {}).get("values"):
            required.append("attribution")
        for name in required:
            found = charts(name)
            check(len(found) == 1, f"expected one {name} chart, found {len(found)}")
            for svg in found:
                check(svg.get_attribute("role") == "img", f"{name}: no role=img")
                check(len(svg.find_elements(By.TAG_NAME, "title")) >= 1, f"{name}: no <title>")
                size = svg.rect
                check(size["width"] > 300 and size["height"] > 50, f"{name}: drawn at {size['width']}x{size['height']}")

        if "outcomes" in required:
            rows = driver.find_elements(By.CSS_SELECTOR, 'svg[data-chart="outcomes"] g.variant-row')
            check(len(rows) == expected_rows, f"outcome chart: {len(rows)} variant rows, expected {expected_rows}")
            intervals = driver.find_elements(By.CSS_SELECTOR, 'svg[data-chart="outcomes"] g.interval')
            check(len(intervals) == 3 * expected_rows, f"outcome chart: {len(intervals)} interval bars, expected {3 * expected_rows}")
            for name in ("cdf-time_to_mitigate", "cdf-failed_requests"):
                series = driver.find_elements(By.CSS_SELECTOR, f'svg[data-chart="{name}"] g.series')
                check(1 <= len(series) <= expected_rows, f"{name}: {len(series)} series for {expected_rows} runs")
        panels = driver.find_elements(By.CSS_SELECTOR, 'svg[data-chart="timeline"] g.timeline-panel')
        check(len(panels) == expected_panels, f"timeline: {len(panels)} panels, expected {expected_panels}")
        bars = driver.find_elements(By.CSS_SELECTOR, 'svg[data-chart="timeline"] rect.bar')
        check(len(bars) > 0, "timeline: no lane bars")
        if "attribution" in required:
            controls = data["attribution"]["values"].keys()
            bars = driver.find_elements(By.CSS_SELECTOR, 'svg[data-chart="attribution"] rect.attribution-bar')
            check(sorted(b.get_attribute("data-control") for b in bars) == sorted(controls),
                  f"attribution bars {[b.get_attribute('data-control') for b in bars]} for controls {list(controls)}")

        if args.screenshot:
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(args.width, min(height, 16000))
            driver.save_screenshot(args.screenshot)
    finally:
        driver.quit()

    if failures:
        for failure in failures:
            print("FAIL: " + failure, file=sys.stderr)
        return 1
    print(f"ok: {args.kind} report {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
