"""The web inbox and the chat widget in a real browser (Chromium through Playwright), against a
running hub: a customer writes on the webhook channel and in the widget, an agent sees one
timeline across both channels, answers without a page reload, the visitor gets the answer live,
a second agent session sees new messages live, the reply checklist warns, a form post without the
CSRF token is refused, and screenshots of each page are written.

Run by scripts/browser-test.sh, which starts the hub (channels `shop`: webhook, `chat`: webchat),
the test site and the reply sink, and adds the user "Ana Agent".

usage: inbox_flow.py --hub URL --site URL --secret WEBHOOK_SECRET --password PASSWORD
                     [--user NAME] [--screenshots DIR] [--chromium PATH]
"""
import argparse
import datetime
import hashlib
import hmac
import json
import os
import re
import sys
import urllib.error
import urllib.request

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

TIMEOUT_MS = 15_000
REPLY = "Hi Ana,\n\nYour order 7 ships today.\n\nBest,\nAna Agent"
BLAMING = "You should have read the FAQ."
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


class StepFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise StepFailed(message)


class Flow:
    def __init__(self, args, browser):
        self.args = args
        self.browser = browser
        self.hub = args.hub.rstrip("/")
        self.site = args.site.rstrip("/")
        self.page_errors = []
        self.conversation_id = None
        self.conversation_url = None

    # Helpers

    def new_page(self, label, viewport=DESKTOP):
        context = self.browser.new_context(viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(f"{label}: {error}"))
        page.on("console", lambda message: self.console(label, message))
        return page

    @staticmethod
    def console(label, message):
        # Shown, not failed on: a refused login (401) or a reconnecting stream logs errors too.
        where = (message.location or {}).get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):
            print(f"  ({label} console error: {message.text} {where})", flush=True)

    def login(self, page):
        page.goto(f"{self.hub}/login")
        form = page.locator("form#login-form")
        expect(form).to_be_visible()
        check(form.locator('input[type="hidden"][name="_csrf"]').count() == 1,
              "the login form has no hidden _csrf input")
        page.fill("input#name", self.args.user)
        page.fill("input#password", self.args.password)
        page.click('form#login-form button[type="submit"]')
        expect(page).to_have_url(re.compile(r"/inbox/?$"))
        expect(page.locator("table#conversations")).to_be_visible()

    def open_conversation(self, page):
        page.goto(self.conversation_url)
        expect(page.locator("ol#timeline")).to_be_visible()
        page.evaluate("window.__sbNoReload = 1")

    def assert_no_reload(self, page, label):
        check(page.evaluate("window.__sbNoReload") == 1,
              f"{label}: the page was reloaded (window.__sbNoReload is gone); it should update in place")

    def visitor_send(self, text):
        page = self.visitor
        page.fill("#sb-chat-input", text)
        page.click("#sb-chat-send")
        expect(page.locator(".sb-msg.sb-visitor", has_text=text)).to_be_visible()
        expect(page.locator("#sb-chat-error")).to_have_text("")

    def timeline_message(self, page, direction, text, channel=None):
        selector = f"#timeline li.entry.message.{direction}"
        if channel:
            selector += f'[data-channel="{channel}"]'
        return page.locator(selector, has_text=text)

    # Steps

    def seed_webhook_message(self):
        body = json.dumps({"id": "seed-1", "from": "email:ana@example.com", "name": "Ana Lima",
                           "subject": "Order 7", "text": "Where is my order 7?", "thread": "order-7"}).encode()
        signature = hmac.new(self.args.secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            f"{self.hub}/webhooks/shop/inbound", data=body, method="POST",
            headers={"Content-Type": "application/json", "X-Switchboard-Signature": f"sha256={signature}"})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, answer = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read().decode(errors="replace")
        check(status == 200, f"POST /webhooks/shop/inbound answered {status}: {answer[:300]}")
        return "seeded the webhook message 'Where is my order 7?' from email:ana@example.com on shop"

    def visitor_writes(self):
        self.visitor = self.new_page("visitor")
        page = self.visitor
        page.goto(f"{self.site}/")
        expect(page).to_have_title("Example Shop")
        launcher = page.locator("#sb-chat-open")
        expect(launcher).to_be_visible()
        expect(launcher).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#sb-chat-panel")).to_be_hidden()
        launcher.click()
        expect(page.locator("#sb-chat-panel")).to_be_visible()
        expect(launcher).to_have_attribute("aria-expanded", "true")
        page.fill("#sb-chat-email", "ana@example.com")
        self.visitor_send("Hello from the chat widget")
        return "the visitor wrote 'Hello from the chat widget' in the widget on the test site"

    def agent_sees_one_timeline(self):
        self.agent_a = self.new_page("agent A")
        page = self.agent_a
        # A wrong password first: the login page again, 401, with an error.
        page.goto(f"{self.hub}/login")
        page.fill("input#name", self.args.user)
        page.fill("input#password", self.args.password + "-wrong")
        with page.expect_response(lambda r: r.request.method == "POST" and "/login" in r.url) as answer:
            page.click('form#login-form button[type="submit"]')
        check(answer.value.status == 401, f"a wrong password answered {answer.value.status}, not 401")
        expect(page.locator('p.error[role="alert"]')).to_be_visible()
        self.login(page)
        row = page.locator('tr.conversation-row[data-channel="chat"]').first
        expect(row).to_be_visible()
        self.conversation_id = row.get_attribute("data-conversation-id")
        check(self.conversation_id, "the chat conversation's row has no data-conversation-id")
        expect(page.locator('tr.conversation-row[data-channel="shop"]').first).to_be_visible()
        row.locator("a.conversation-link").click()
        expect(page).to_have_url(re.compile(r"/inbox/conversations/" + re.escape(self.conversation_id) + r"/?$"))
        self.conversation_url = page.url
        expect(page.locator("ol#timeline")).to_be_visible()
        expect(self.timeline_message(page, "inbound", "Where is my order 7?", "shop")).to_be_visible()
        expect(self.timeline_message(page, "inbound", "Hello from the chat widget", "chat")).to_be_visible()
        expect(page.locator("aside#customer ul#identities")).to_contain_text("ana@example.com")
        expect(page.locator("select#reply-channel")).to_have_value("chat")
        page.evaluate("window.__sbNoReload = 1")
        return f"agent A logged in and opened {self.conversation_id}: one timeline with shop and chat messages"

    def agent_replies(self):
        page = self.agent_a
        page.fill("textarea#reply-text", REPLY)
        page.click("button#send-reply")
        outbound = self.timeline_message(page, "outbound", "Your order 7 ships today.")
        button = page.locator("button#send-reply")
        # Either the reply appears or the checklist stopped it: wait for whichever comes first.
        page.wait_for_function(
            """() => {
                const button = document.querySelector('button#send-reply');
                if (button && /send anyway/i.test(button.textContent)) return true;
                return [...document.querySelectorAll('#timeline li.entry.message.outbound')]
                    .some(li => li.textContent.includes('Your order 7 ships today.'));
            }""", timeout=TIMEOUT_MS)
        if re.search(r"send anyway", button.text_content() or "", re.I):
            findings = page.locator("#checklist li.finding").all_text_contents()
            raise StepFailed(f"the checklist stopped a reply that should pass it; findings: {findings}")
        expect(outbound).to_have_count(1)
        expect(outbound.locator(".delivery-state")).to_have_text(re.compile(r"^\s*(sent|delivered|read)\s*$"))
        self.assert_no_reload(page, "agent A")
        state = outbound.locator(".delivery-state").text_content().strip()
        return f"agent A replied on chat without a reload; the reply shows '{state}'"

    def visitor_gets_reply(self):
        page = self.visitor
        reply = page.locator(".sb-msg.sb-agent", has_text="ships today")
        expect(reply).to_be_visible()
        expect(reply.locator(".sb-author")).to_contain_text("Ana")
        check(page.evaluate("performance.getEntriesByType('navigation').length") == 1,
              "the visitor page navigated again")
        return "the visitor saw the reply arrive in the widget (live, no reload)"

    def live_inbound_in_second_session(self):
        self.agent_b = self.new_page("agent B")
        self.login(self.agent_b)
        self.open_conversation(self.agent_b)
        self.visitor_send("Is it tracked?")
        for label, page in (("agent B", self.agent_b), ("agent A", self.agent_a)):
            expect(self.timeline_message(page, "inbound", "Is it tracked?", "chat")).to_be_visible()
            self.assert_no_reload(page, label)
        return "the visitor's 'Is it tracked?' appeared live in both agent sessions"

    def checklist_warns(self):
        page = self.agent_a
        page.fill("textarea#reply-text", BLAMING)
        page.click("button#send-reply")
        expect(page.locator("#checklist li.finding").first).to_be_visible()
        expect(page.locator("button#send-reply")).to_have_text(re.compile(r"send anyway", re.I))
        findings = page.locator("#checklist li.finding").count()
        page.fill("textarea#reply-text", "")
        check(self.timeline_message(page, "outbound", "read the FAQ").count() == 0,
              "the blaming reply was sent on the first click; the checklist should have stopped it")
        self.assert_no_reload(page, "agent A")
        return f"the checklist stopped '{BLAMING}' with {findings} finding(s) and offered 'Send anyway'"

    def screenshots(self):
        directory = self.args.screenshots
        os.makedirs(directory, exist_ok=True)
        page = self.agent_a
        page.goto(f"{self.hub}/inbox")
        expect(page.locator("tr.conversation-row").first).to_be_visible()
        page.screenshot(path=os.path.join(directory, "inbox.png"), full_page=True)
        page.goto(self.conversation_url)
        expect(self.timeline_message(page, "outbound", "Your order 7 ships today.")).to_be_visible()
        page.screenshot(path=os.path.join(directory, "conversation.png"), full_page=True)
        self.visitor.screenshot(path=os.path.join(directory, "widget.png"), full_page=True)
        phone = self.browser.new_context(viewport=PHONE, storage_state=page.context.storage_state(),
                                         is_mobile=True, has_touch=True, device_scale_factor=2)
        phone.set_default_timeout(TIMEOUT_MS)
        phone_page = phone.new_page()
        phone_page.goto(self.conversation_url)
        expect(phone_page.locator("ol#timeline")).to_be_visible()
        phone_page.screenshot(path=os.path.join(directory, "conversation-phone.png"), full_page=True)
        phone.close()
        return f"screenshots inbox.png, conversation.png, widget.png, conversation-phone.png in {directory}"

    def reports_page(self):
        """The reports page over the 14 days `switchboard generate --days 14` filled (browser-test.sh)."""
        page = self.agent_a
        today = datetime.datetime.now(datetime.timezone.utc).date()  # the hub's days are UTC here
        first = today - datetime.timedelta(days=13)
        page.goto(f"{self.hub}/inbox")
        page.click('nav[aria-label="Sections"] a[href="/inbox/reports"]')
        page.fill('input[name="from"]', first.isoformat())
        page.fill('input[name="to"]', today.isoformat())
        page.click('form[action="/inbox/reports"] button[type="submit"]')
        expect(page).to_have_url(re.compile(r"/inbox/reports\?from=" + first.isoformat()))
        charts = page.locator("figure.chart svg")
        expect(charts).to_have_count(6)
        for index in range(6):
            box = charts.nth(index).bounding_box()
            check(box and box["width"] > 200 and box["height"] > 80, f"chart {index + 1} is drawn too small: {box}")
        # The messages chart has a point per day and series; the channel chart a bar per channel and series.
        points = page.locator("figure.chart").nth(0).locator("circle.point")
        check(points.count() >= 14, f"the messages chart has {points.count()} points for 14 days")
        check(page.locator("figure.chart").nth(4).locator("rect.bar").count() >= 2, "the channel chart has no bars")
        check(page.get_by_text("No data for this period").count() == 0, "a chart says it has no data")
        expect(page.locator("table.report tbody tr")).not_to_have_count(0)
        expect(page.locator("table.report")).to_contain_text("All channels")
        # The CSV link gives the same numbers as a download.
        csv = page.context.request.get(f"{self.hub}/inbox/reports.csv?from={first.isoformat()}&to={today.isoformat()}")
        check(csv.status == 200 and csv.text().startswith("period,channel,conversations"),
              f"the CSV answered {csv.status}: {csv.text()[:200]}")
        days = {line.split(",")[0] for line in csv.text().splitlines()[1:]}
        check(len(days) >= 10, f"the CSV has {len(days)} days of rows")
        directory = self.args.screenshots
        os.makedirs(directory, exist_ok=True)
        page.screenshot(path=os.path.join(directory, "reports.png"), full_page=True)
        return (f"the reports page drew 6 charts ({points.count()} points on the messages chart) and the table "
                f"for {first} to {today}; the CSV has {len(days)} days; screenshot reports.png")

    def csrf_refused(self):
        page = self.agent_a
        token = page.locator('meta[name="csrf-token"]').get_attribute("content")
        check(token, 'the conversation page has no <meta name="csrf-token" content="…">')
        url = f"{self.hub}/inbox/conversations/{self.conversation_id}/notes"
        # The same Origin a browser's form post would send: only the token differs.
        headers = {"Origin": self.hub}
        refused = page.context.request.post(url, form={"text": "hello"}, headers=headers, max_redirects=0)
        check(refused.status == 403, f"a note posted without _csrf answered {refused.status}, not 403")
        wrong = page.context.request.post(url, form={"text": "hello", "_csrf": "not-the-token"},
                                          headers=headers, max_redirects=0)
        check(wrong.status == 403, f"a note posted with a wrong _csrf answered {wrong.status}, not 403")
        accepted = page.context.request.post(url, form={"text": "hello", "_csrf": token}, headers=headers,
                                             max_redirects=0)
        check(accepted.status in (200, 303), f"a note posted with the right _csrf answered {accepted.status}")
        page.goto(self.conversation_url)
        notes = page.locator("#timeline li.entry.note", has_text="hello")
        expect(notes).to_have_count(1)
        return "a note posted without (or with a wrong) CSRF token was refused with 403; with it, accepted"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hub", default="http://127.0.0.1:23197")
    parser.add_argument("--site", default="http://127.0.0.1:23198")
    parser.add_argument("--secret", required=True, help="the shop channel's webhook secret")
    parser.add_argument("--user", default="Ana Agent")
    parser.add_argument("--password", required=True)
    parser.add_argument("--screenshots", default="docs/screenshots")
    parser.add_argument("--chromium", default="/usr/lib/chromium/chromium")
    args = parser.parse_args()

    with sync_playwright() as playwright:
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"],
                                                 headless=True)
        except PlaywrightError as error:
            print(f"browser: FAILED to start Chromium at {args.chromium}: {error}", file=sys.stderr)
            return 1
        flow = Flow(args, browser)
        steps = [flow.seed_webhook_message, flow.visitor_writes, flow.agent_sees_one_timeline,
                 flow.agent_replies, flow.visitor_gets_reply, flow.live_inbound_in_second_session,
                 flow.checklist_warns, flow.screenshots, flow.reports_page, flow.csrf_refused]
        for number, step in enumerate(steps, 1):
            name = step.__name__.replace("_", " ")
            try:
                detail = step()
            except Exception as error:  # noqa: BLE001 - every failure ends the run with its step
                print(f"browser: step {number} ({name}) FAILED: {type(error).__name__}: {error}",
                      file=sys.stderr, flush=True)
                if flow.page_errors:
                    print("browser: JavaScript errors in the pages:\n  " + "\n  ".join(flow.page_errors),
                          file=sys.stderr)
                browser.close()
                return 1
            print(f"browser: step {number} ({name}): {detail}", flush=True)
        browser.close()
        if flow.page_errors:
            print("browser: FAILED: uncaught JavaScript errors in the pages:\n  " + "\n  ".join(flow.page_errors),
                  file=sys.stderr)
            return 1
        print(f"browser: all {len(steps)} steps passed", flush=True)
        return 0


if __name__ == "__main__":
    sys.exit(main())
