import pytest
from selenium.webdriver.common.by import By
from tests.browser.support import NARROW, PORTRAIT

@pytest.mark.browser
def test_shots(browser):
    browser.choose_language("cy", "/about")
    browser.size(PORTRAIT)
    browser.open("/about"); browser.driver.save_screenshot("/tmp/about.png")
    browser.open("/login"); browser.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    browser.wait_for_page(); browser.driver.save_screenshot("/tmp/login-errors.png")
    browser.sign_in("admin"); browser.choose_language("en", "/admin")
    browser.size((320, 1000)); browser.open("/admin"); browser.driver.save_screenshot("/tmp/admin320.png")
