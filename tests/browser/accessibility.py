"""axe-core in the browser tests: ``assert_accessible(session)`` runs it on the open page and
fails with every violation it finds. Call it on each page a change touches, so the pages keep
the zero violations they had when issue 15 counted them.

The app's Content-Security-Policy allows scripts from its own origin only, and it stays on:
axe.min.js (the npm package, pinned in package-lock.json) is served to the browser under a
same-origin address that only the test's browser context answers."""

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe-core__/axe.min.js"  # answered by the test browser, never by the app

# WCAG 2.x A and AA, and axe's best practices.
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_violations(session) -> list[dict]:
    """What axe-core finds wrong on the session's open page: one entry per rule, with the
    first few elements it found, each with what axe says is wrong with it."""
    page = session.page
    if not getattr(session, "_axe_routed", False):
        if not AXE.exists():
            raise AssertionError(f"{AXE} is missing: npm ci (axe-core is a devDependency)")
        session.context.route(
            f"**{AXE_PATH}",
            lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
        )
        session._axe_routed = True
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=session.base_url + AXE_PATH)
    return page.evaluate(
        """async (options) => {
            const result = await axe.run(document, options);
            return result.violations.map(v => ({
                rule: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " " + n.failureSummary),
            }));
        }""",
        RUN_OPTIONS,
    )


def assert_accessible(session, label: str = "") -> None:
    """No axe-core violation on the open page."""
    violations = axe_violations(session)
    where = label or session.page.url
    assert violations == [], f"{where}: " + "; ".join(
        f"{v['rule']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations
    )
