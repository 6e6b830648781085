"""The steward's review page in a real browser (Debian's chromium through selenium): it lists the open
items, shows a page with the snippet highlighted, and its decisions (correct, dismiss, add) reach the
marts through the next refresh. Bad add lines are refused with the line named."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest
from conftest import RAW, REPO

from orchestration.cli import main

SCHOOL, XINXIANG, QINGYANG = ("000_ad8fa0dc1b023aac.pdf", "001_cbbc57b736b8bf1c.pdf",
                              "003_de4a2a4ac205d12a.pdf")
SCHOOL_NAME = "延津县职业中等专业学校"
SCREENSHOTS = Path(os.environ.get("ZHIJIAO_SCREENSHOT_DIR", REPO / "tests" / "screenshots"))
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
HEADER = "source_file,entity,period_year,indicator,action,corrected_value,reviewer,note,page,snippet\n"
# A figure extraction does not read: 庆阳市's part-time teachers (聘请…教师), on page 2 of its report.
PART_TIME = "聘请校外专业课、实习指导课教师 36 人"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def reviewed(warehouse_env, monkeypatch):
    """The samples refreshed, and the review page served on them from its own process."""
    for pdf in RAW.glob("*.pdf"):
        shutil.copy(pdf, warehouse_env / "raw")
    overrides = warehouse_env / "overrides.csv"
    monkeypatch.setenv("ZHIJIAO_OVERRIDES_FILE", str(overrides))
    assert main(["refresh"]) == 0
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "review", "--port", str(port)],
                              env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail(f"the review page did not start: {server.stdout.read().decode()[-2000:]}")
    yield {"url": url, "overrides": overrides, "env": warehouse_env}
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture
def browser(tmp_path):
    assert CHROMIUM and CHROMEDRIVER, "chromium and chromedriver are missing: `make test` installs them"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1400,1100"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _open_item(driver, url: str, **filters) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/?{urlencode(filters)}")
    driver.find_element(By.CSS_SELECTOR, "a.open").click()


def _decide(driver, action: str, **fields) -> str:
    """Fill the form of one decision, submit it, and return the list page's message."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    form = driver.find_element(By.XPATH, f"//form[input[@name='action' and @value='{action}']]")
    for name, value in {"reviewer": "wang", **fields}.items():
        element = form.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.msg, p.err"))
    return driver.find_element(By.TAG_NAME, "body").text


def _highlighted_pixels(png: bytes) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    # The highlight's yellow over the white page, and its orange outline: nothing else on a page is.
    return sum(1 for r, g, b in image.getdata() if r > 200 and g > 90 and r - b > 80)


@pytest.mark.slow
def test_a_steward_corrects_adds_and_dismisses_in_the_browser_and_the_refresh_applies_it(reviewed, browser):
    from selenium.webdriver.common.by import By

    url = reviewed["url"]
    browser.get(url + "/")
    assert "open items" in browser.find_element(By.TAG_NAME, "h1").text

    # A held figure: its page is shown with the snippet's words highlighted, beside value and runner-up.
    _open_item(browser, url, file=SCHOOL, indicator="majors_total", kind="held_for_review")
    image = browser.find_element(By.CSS_SELECTOR, "img.page")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) > 500
    assert browser.find_element(By.CSS_SELECTOR, "td.value").text == "14"
    assert "majors_total = 11 (page 5)" in browser.find_element(By.CSS_SELECTOR, "td.runner-up").text
    png = urllib.request.urlopen(image.get_attribute("src")).read()
    assert _highlighted_pixels(png) > 200
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "review_page.png"))
    assert "accept_value 延津县职业中等专业学校 2023 majors_total written" in _decide(browser, "correct", value="15")

    # A review flag, dismissed.
    _open_item(browser, url, file=XINXIANG, rule="parts_do_not_add_up")
    assert "dismiss" in _decide(browser, "dismiss", note="the report rounds its parts")

    # A figure extraction missed, added from the page it stands on (from the item of a missing one).
    _open_item(browser, url, file=QINGYANG, kind="missing")
    done = _decide(browser, "add", indicator="teachers_parttime", page="2", value="36", year="2024",
                   entity="庆阳市", snippet=PART_TIME)
    assert "add 庆阳市 2024 teachers_parttime written" in done, done

    lines = reviewed["overrides"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and lines[0] == HEADER.strip()
    assert main(["refresh"]) == 0
    published = reviewed["env"] / "warehouse" / "published.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select majors_total from school_year "
                           f"where entity_name = '{SCHOOL_NAME}' "
                           "and period_year = 2023").fetchall() == [(15,)]
        assert con.execute("select teachers_parttime from city_year "
                           "where entity_name = '庆阳市' and period_year = 2024").fetchall() == [(36,)]
        assert con.execute("select method, page, snippet, is_chosen from facts "
                           "where indicator = 'teachers_parttime' "
                           "and entity_name = '庆阳市'").fetchall() == [("steward", 2, PART_TIME, True)]
        assert con.execute("select status from report_coverage "
                           "where source_file = ? and indicator = 'majors_total'",
                           [SCHOOL]).fetchall() == [("found",)]
        assert con.execute("select status from data_quality_issues where rule = 'parts_do_not_add_up' "
                           f"and source_file = '{XINXIANG}'").fetchall() == [("dismissed",)]


@pytest.mark.slow
def test_the_page_refuses_an_add_whose_snippet_is_not_on_the_page(reviewed, browser):
    from selenium.webdriver.common.by import By

    _open_item(browser, reviewed["url"], file=QINGYANG, kind="missing")
    text = _decide(browser, "add", indicator="teachers_parttime", page="3", value="36", year="2024",
                   entity="庆阳市", snippet=PART_TIME)
    assert "is not on page 3" in text and "line 2" in text
    assert browser.find_element(By.CSS_SELECTOR, "p.err")
    assert not reviewed["overrides"].exists()  # nothing written


def _add(entity: str = "庆阳市", value: str = "36", page: str = "2",
         indicator: str = "teachers_parttime") -> str:
    return f"{QINGYANG},{entity},2024,{indicator},add,{value},wang,,{page},{PART_TIME}"


@pytest.mark.slow
@pytest.mark.parametrize("lines, expected", [
    ([_add(page="3")], "is not on page 3"),
    ([_add(entity="庆阳县")], "entity «庆阳县» is neither the report's subject"),
    ([_add(value="120", indicator="employment_rate")], "outside its plausible range 0–100"),
    ([_add(), _add()], "line 2 already decides"),
])
def test_a_bad_add_line_stops_the_refresh_with_the_line_named(warehouse_env, monkeypatch, capsys, lines,
                                                               expected):
    shutil.copy(RAW / QINGYANG, warehouse_env / "raw")
    overrides = warehouse_env / "overrides.csv"
    overrides.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    monkeypatch.setenv("ZHIJIAO_OVERRIDES_FILE", str(overrides))
    assert main(["refresh"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert expected in out and f"line {len(lines) + 1}" in out
