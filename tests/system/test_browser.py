"""End to end in headless Chromium against a live gunicorn server: pages load, the form scores,
a phone-sized window needs no sideways scrolling, and the browser logs no console errors."""

import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as DriverService
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.slow  # a live server

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SYSTEM_DEPS = Path(__file__).resolve().parents[1] / "system-deps.sh"
ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
PHONE = (390, 844)
PHONE_PAGES = (
    "/",
    "/assumptions/a3",
    "/framings/sliding-scale",
    "/watchlist/uae-ai-annex",
    "/chips",
    "/score/form",
    "/controls/h20-licence-reversal-2025-07/score",
    "/assumptions/a3/versions/4/diff?from=3",
)


def ensure_chromium() -> None:
    """Install Chromium the way `make test` does when it is missing; skip only without apt."""
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    if shutil.which("apt-get") is None:
        pytest.skip("Chromium is not installed and apt-get is not available to install it")
    subprocess.run(["bash", str(SYSTEM_DEPS)], check=True, timeout=600)


@pytest.fixture(scope="module")
def browser():
    ensure_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="framings-chromium-")
    for argument in (*ARGUMENTS, f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=DriverService(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def chrome(browser):
    """The shared browser at a desktop size, its console log emptied."""
    browser.set_window_size(1280, 900)
    browser.get_log("browser")
    return browser


def severe(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def open_page(driver, base: str, path: str) -> None:
    driver.get(base + path)
    assert severe(driver) == [], path


def test_home_page_loads_and_shows_both_framings(chrome, live_server):
    open_page(chrome, live_server, "/")
    titles = {e.text for e in chrome.find_elements(By.CSS_SELECTOR, "article.framing h3")}
    assert titles == {"Sliding scale", "Freeze-in-place"}
    assert len(chrome.find_elements(By.CSS_SELECTOR, "#assumptions-h ~ div tbody tr")) == 6


def test_resource_page_loads_with_its_citation_and_badge(chrome, live_server):
    open_page(chrome, live_server, "/controls/h20-licence-reversal-2025-07")
    citation = chrome.find_element(By.CSS_SELECTOR, ".citation").text
    assert "/controls/h20-licence-reversal-2025-07/versions/" in citation
    badge = chrome.find_element(By.CSS_SELECTOR, "img.badge")
    assert chrome.execute_script("return arguments[0].naturalWidth", badge) > 0


def test_every_link_on_the_home_page_loads(chrome, live_server):
    open_page(chrome, live_server, "/")
    hrefs = {a.get_attribute("href") for a in chrome.find_elements(By.TAG_NAME, "a")}
    local = {h for h in hrefs if urlparse(h).netloc == urlparse(live_server).netloc}
    broken = [
        h
        for h in sorted(local)
        if requests.get(h, headers={"Accept": "text/html"}, timeout=10).status_code != 200
    ]
    assert len(local) > 40 and broken == []


def fill_valid_control(driver) -> None:
    driver.find_element(By.ID, "name").send_keys("Sell H20s for rare earths")
    driver.find_element(By.CSS_SELECTOR, 'input[name="direction"][value="loosen"]').click()
    Select(driver.find_element(By.ID, "instrument")).select_by_value("license_approval")
    for name, value in (("layers", "inference_chips"), ("reach", "china_market")):
        driver.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]').click()
    driver.find_element(By.NAME, "linked_to_negotiations").click()
    Select(driver.find_element(By.ID, "chips")).select_by_value("nvidia-h20")


def submit(driver) -> None:
    """Submit the form and wait until the answer has replaced it."""
    button = driver.find_element(By.CSS_SELECTOR, "form.score button[type=submit]")
    button.click()
    WebDriverWait(driver, 20).until(expected_conditions.staleness_of(button))


def test_score_form_submits_and_shows_a_verdict(chrome, live_server):
    open_page(chrome, live_server, "/score/form")
    fill_valid_control(chrome)
    submit(chrome)
    assert chrome.find_element(By.TAG_NAME, "h1").text == "Score: Sell H20s for rare earths"
    verdict = chrome.find_element(By.CSS_SELECTOR, ".verdict").text
    assert "Favoured: the sliding scale" in verdict
    assert len(chrome.find_elements(By.CSS_SELECTOR, ".score-card")) == 2
    assert severe(chrome) == []


def test_score_form_shows_messages_for_a_bad_control(chrome, live_server):
    open_page(chrome, live_server, "/score/form")
    submit(chrome)
    assert chrome.find_element(By.CSS_SELECTOR, ".errors").is_displayed()
    assert chrome.find_element(By.ID, "layers-error").text == "Give at least one value."
    # The one console entry is the 422 status of the page itself, which is the point.
    assert all("status of 422" in message for message in severe(chrome))


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_phone_sized_window_needs_no_horizontal_scroll(chrome, live_server, path):
    chrome.set_window_size(*PHONE)
    open_page(chrome, live_server, path)
    widths = chrome.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], f"{urljoin(live_server, path)}: {widths}"
