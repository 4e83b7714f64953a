import pytest
from tests.browser.support import LANDSCAPE, ROLES, ROLE_HOMES
JS = "var cb=arguments[arguments.length-1]; axe.run(document, {runOnly:{type:'tag',values:['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa','best-practice']}}).then(r=>cb([r.violations.map(p=>[p.id, p.nodes.map(n=>n.target.join(' '))]), r.incomplete.map(p=>[p.id, p.nodes.map(n=>n.target.join(' ')+': '+n.failureSummary)])]))"
@pytest.mark.browser
@pytest.mark.parametrize("who", ("anonymous",)+ROLES)
def test_scratch(browser, who):
    if who != "anonymous":
        browser.sign_in(who)
    for lang in ("cy", "en"):
        browser.choose_language(lang, ROLE_HOMES.get(who, "/"))
        for p in ["/", "/about", "/login", "/nope", ROLE_HOMES.get(who, "/"), "/me/circle"]:
            browser.open(p)
            browser.axe.inject()
            print(who, lang, browser.path(), browser.driver.execute_async_script(JS))
