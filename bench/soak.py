"""Soak test: minutes of mixed traffic against gunicorn, a worker restart in the middle, and a
check afterwards that every write the clients saw succeed is in the database.

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/14 \\
    REDIS_CACHE_URL=redis://127.0.0.1:6379/15 .venv/bin/python bench/soak.py \\
        [--minutes 10] [--clients 8] [--port 8050] [--workers N] [--restart hup|kill|none]
        [--short]   # development: 1 minute, 4 clients, the restart at 30 s

gunicorn runs with the production settings through bench/server.py (DEBUG off, behind the TLS
proxy it believes in, Redis as cache and broker, 2 x cores + 1 sync workers). Each client is a
thread that loops, pausing about `--think` seconds between actions, over one of:

- anonymous browsing (no cookies, as a first-time visitor or a crawler): the home page, the
  members' directory, an organisation, the meetings, a meeting, the action plan, an action item,
  the Knowledge Hub list and a resource, now and then in French or Spanish;
- a Knowledge Hub search with one to three words from a list, sometimes with a filter or on the
  second page;
- an invitation answer: a focal point of an observer opens a meeting page (signed in), takes the
  CSRF token from the RSVP form, posts an answer different from their last one (accepted,
  declined or tentative) and follows the redirect to the page, which must say the answer;
- a submission: an observer opens /knowledge-hub/submit/, and either submits at once with a small
  valid PDF, or saves a draft with the PDF, opens the draft (which must name the kept file) and
  submits it without a file; the redirect names the submission, whose page is then opened.

The accounts (focal points of the observer organisation "Soak benchmark observers"), the three
upcoming meetings they are invited to and their sessions are made by this script before the
traffic, in the database of DATABASE_URL; running it again reuses them. The per-account limits
(RSVP_RATE_LIMIT_PER_HOUR answers, counted in the cache; KNOWLEDGE_HUB_SUBMISSIONS_PER_DAY
submissions started, counted in the database) are read first: each account carries what it has
left, and enough accounts are taken (new ones made when earlier runs spent the old) that
together they may send `--budget-per-client-minute` x clients x minutes answers and as many
submissions, more than the clients manage. A client takes an account with something left
(never one another client holds); when none has, the action is skipped (counted) and the client
browses instead. A 429 that still happens is counted apart from the errors.

In the middle (`--restart-at`, half the run by default) the gunicorn master gets SIGHUP: the
graceful reload a deployment does for new settings or code, which forks new workers and stops
the old ones once their request in hand is answered (`--restart kill` instead SIGKILLs one
worker, as the OOM killer would, and the master forks another). The restart window runs from the
signal until the old workers are gone and /healthz answers, plus a second; a request that
overlaps it is "in the window". The target: no 5xx and no request without a response outside
it; a graceful reload should have none inside either, only slower answers while the new
workers load the portal.

Afterwards it prints the requests by kind with latencies (p50, p95, p99), the status codes, the
errors in and out of the window, the longest time without any response, and checks in the
database that each submission recorded as successful exists, submitted, with its title, authors
and file (size and SHA-256), that no more were submitted than recorded (plus those whose
request got no answer), and that each invitation holds the last answer recorded; an answer or
submission whose request got no response or a 5xx is "uncertain" and may be in either state.
Exit status 1 when anything is missing or wrong, a page did not say what it should, or there
were errors outside the window.
"""

import argparse
import dataclasses
import datetime
import hashlib
import http.client
import http.cookies
import itertools
import os
import queue
import random
import re
import signal
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote_plus, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import Server, default_workers, focal_point_cookie, production_env, setup_django

if __name__ == "__main__":
    # This process shares the server's environment (database, cache, SECRET_KEY): it makes the
    # accounts and their sessions before the run and reads the database after it. (Imported by
    # the tests instead, it runs inside their Django.)
    SERVER_ENV = production_env()
    setup_django(SERVER_ENV)

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from actionplan.models import ActionItem
from actionplan.selectors import current_plan
from knowledgehub.models import Resource, Submission, SubmissionState
from knowledgehub.services.submissions import submissions_started_recently
from meetings.models import Invitation, Meeting, MeetingKind, MeetingMode
from meetings.services import invitations_create, meeting_reschedule, meeting_schedule
from members.actors import SYSTEM
from members.models import Organisation, OrganisationKind, Person
from tests.knowledgehub.pdfs import make_pdf

ACCOUNT_EMAIL = "soak-{:04d}@bench.example.org"
ORGANISATION_SLUG = "soak-bench-observers"
MEETING_SLUGS = [f"soak-bench-meeting-{n}" for n in (1, 2, 3)]
ANSWER_LABELS = {"accepted": "Accepted", "declined": "Declined", "tentative": "Tentative"}
RSVP_DONE = "Thank you: your answer is recorded."

SEARCH_WORDS = [
    "social", "solidarity", "economy", "cooperative", "cooperatives", "enterprise", "decent",
    "work", "finance", "microfinance", "housing", "youth", "women", "informal", "climate",
    "transition", "agriculture", "policy", "public", "procurement", "statistics", "refugees",
    "platform", "mutual", "insurance", "care", "fair", "trade", "credit", "unions", "digital",
    "circular", "community", "Africa", "Asia", "Latin", "America", "Europe", "SDG",
    "sustainable", "development", "training", "awareness", "economie", "sociale", "economía",
    "cooprative", "solidarty", "ILO", "UNRISD", "local", "green", "jobs", "rural", "health",
]  # fmt: skip
SEARCH_FILTERS = ["", "", "", "", "&kind=report", "&sdg=8", "&language=en", "&page=2"]
LANGUAGE_PREFIXES = ["", "", "", "", "", "/fr", "/es"]  # mostly English, as the real audience

# What a client does next, by weight.
ACTIONS = {"browse": 55, "search": 20, "rsvp": 15, "submit": 10}
BROWSE_PAGES = {
    "home": 10,
    "members": 6,
    "organisation": 8,
    "meetings": 8,
    "meeting": 10,
    "action plan": 6,
    "action item": 8,
    "hub list": 8,
    "hub resource": 10,
}


# --- Setup: accounts, meetings, invitations, sessions ----------------------------------------
@dataclasses.dataclass
class Account:
    user_id: int
    person_id: int
    email: str
    session_key: str
    rsvp_left: int
    submissions_left: int


def _bench_organisation() -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        slug=ORGANISATION_SLUG,
        defaults={
            "name": "Soak benchmark observers",
            "acronym": "SOAK",
            "kind": OrganisationKind.OBSERVER,
            "country": "CH",
        },
    )
    if organisation.left_on is not None or organisation.kind != OrganisationKind.OBSERVER:
        organisation.left_on = None
        organisation.kind = OrganisationKind.OBSERVER
        organisation.save(update_fields=["left_on", "kind"])
    return organisation


def _bench_meetings() -> list[Meeting]:
    """Three planned meetings a month or more ahead (moved ahead again when a later run finds
    them started)."""
    now = timezone.now()
    meetings = []
    for index, slug in enumerate(MEETING_SLUGS, start=1):
        start = (now + datetime.timedelta(days=30 * index)).replace(
            hour=13, minute=0, second=0, microsecond=0
        )
        end = start + datetime.timedelta(hours=2)
        meeting = Meeting.objects.filter(slug=slug).first()
        if meeting is None:
            meeting = meeting_schedule(
                meeting=Meeting(
                    kind=MeetingKind.WEBINAR,
                    title=f"Soak benchmark meeting {index}",
                    slug=slug,
                    start=start,
                    end=end,
                    time_zone="Europe/Zurich",
                    mode=MeetingMode.VIRTUAL,
                    reminder_offsets=[],  # no reminder e-mails from a benchmark
                ),
                by=SYSTEM,
            )
        elif meeting.start < now + datetime.timedelta(days=1):
            meeting = meeting_reschedule(meeting=meeting, start=start, end=end, by=SYSTEM)
        meetings.append(meeting)
    return meetings


def _rsvp_used(user_id: int) -> int:
    """Answers this account already sent in the current hour, as untfsse.core.ratelimit counts them."""
    return int(cache.get(f"ratelimit:rsvp:{user_id}") or 0)


def prepare_accounts(*, wanted: int, budget: int) -> tuple[list[Account], list[Meeting]]:
    """At least `wanted` observer focal points with something left to send, and enough of them
    that together they may still send `budget` answers and `budget` submissions; invited to the
    three bench meetings, each with a fresh session. Idempotent: existing soak accounts are
    reused, new ones are added when earlier runs spent their allowance."""
    User = get_user_model()
    organisation = _bench_organisation()
    meetings = _bench_meetings()
    rsvp_limit = settings.RSVP_RATE_LIMIT_PER_HOUR
    submission_limit = settings.KNOWLEDGE_HUB_SUBMISSIONS_PER_DAY
    accounts: list[Account] = []
    number = 0
    while (
        len(accounts) < wanted
        or sum(a.rsvp_left for a in accounts) < budget
        or sum(a.submissions_left for a in accounts) < budget
    ):
        email = ACCOUNT_EMAIL.format(number)
        number += 1
        user = User.objects.filter(email=email).first()
        rsvp_left = rsvp_limit - (_rsvp_used(user.pk) if user else 0)
        submissions_left = submission_limit - (submissions_started_recently(user) if user else 0)
        if rsvp_left <= 0 and submissions_left <= 0:
            continue  # spent by earlier runs: the next number
        # A verified focal point of the bench observer organisation, with a new session.
        cookie = focal_point_cookie(email=email, organisation=organisation)
        user = User.objects.get(email=email)
        accounts.append(
            Account(
                user_id=user.pk,
                person_id=Person.objects.get(user=user).pk,
                email=email,
                session_key=cookie.split("=", 1)[1],
                rsvp_left=max(0, rsvp_left),
                submissions_left=max(0, submissions_left),
            )
        )
    persons = Person.objects.filter(pk__in=[account.person_id for account in accounts])
    for meeting in meetings:
        invitations_create(meeting=meeting, by=SYSTEM, persons=persons)
    return accounts, meetings


def public_addresses() -> dict[str, list[str]]:
    """Addresses for anonymous browsing, sampled from what the database holds."""

    def sample(paths, size=300):
        paths = list(paths)
        return random.Random(1).sample(paths, min(size, len(paths)))

    plan = current_plan()
    items = ActionItem.objects.select_related("plan").order_by("?")[:300] if plan else []
    addresses = {
        "home": ["/"],
        "members": ["/members/"],
        "organisation": sample(
            f"/members/{slug}/"
            for slug in Organisation.objects.current()
            .exclude(slug=ORGANISATION_SLUG)
            .values_list("slug", flat=True)
        ),
        "meetings": ["/meetings/", "/meetings/?kind=regular", "/meetings/?mode=virtual"],
        "meeting": sample(
            f"/meetings/{slug}/"
            for slug in Meeting.objects.order_by("?").values_list("slug", flat=True)[:300]
        ),
        "action plan": ["/action-plan/"],
        "action item": [item.get_absolute_url() for item in items],
        "hub list": ["/knowledge-hub/", "/knowledge-hub/?page=2", "/knowledge-hub/?kind=report"],
        "hub resource": [
            resource.get_absolute_url()
            for resource in Resource.objects.published().only("pk", "slug").order_by("?")[:300]
        ],
    }
    return {kind: paths for kind, paths in addresses.items() if paths}


# --- HTTP ---------------------------------------------------------------------------------
@dataclasses.dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class ConnectionFailed(Exception):
    """No HTTP response: refused, reset or timed out."""


@dataclasses.dataclass
class Sample:
    kind: str
    started: float
    elapsed: float
    status: int | None  # None: no response
    path: str


class Recorder:
    def __init__(self, origin: float):
        self.origin = origin
        self.samples: list[Sample] = []
        self.failures: list[str] = []  # unexpected answers, for the report
        self.events: Counter = Counter()
        self.wrong: Counter = Counter()  # pages that said something else than they should
        self.lock = threading.Lock()

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def note(self, event: str, detail: str | None = None, *, wrong: bool = False) -> None:
        """Count `event`; `wrong` ones (a page that does not say what it should, an answer
        refused for no reason) fail the run."""
        with self.lock:
            self.events[event] += 1
            if wrong:
                self.wrong[event] += 1
            if detail is not None and len(self.failures) < 40:
                self.failures.append(f"{time.monotonic() - self.origin:7.1f}s {detail}")


class Browser:
    """One visitor: a cookie jar of its own (secure cookies included: the TLS proxy the portal
    believes it is behind is not there) and a new connection per request (gunicorn's sync
    workers close them)."""

    def __init__(self, host: str, port: int, recorder: Recorder, cookies: dict | None = None):
        self.host, self.port, self.recorder = host, port, recorder
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(self, kind: str, method: str, path: str, *, body=b"", content_type=None):
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "close", **Server.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            # The portal sees https (behind its TLS proxy), so CSRF wants an https origin.
            headers["Origin"] = f"https://{self.host}:{self.port}"
            headers["Referer"] = f"https://{self.host}:{self.port}{path}"
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        except (OSError, http.client.HTTPException) as error:
            elapsed = time.monotonic() - started
            self.recorder.add(Sample(kind, started, elapsed, None, path))
            raise ConnectionFailed(f"{kind} {method} {path}: {error!r}") from error
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        self.recorder.add(Sample(kind, started, elapsed, response.status, path))
        self._keep_cookies(response.headers)
        if response.status >= 500:
            snippet = re.sub(r"\s+", " ", response.text[:200])
            self.recorder.note("5xx", f"{kind} {method} {path} -> {response.status}: {snippet}")
        return response

    def get(self, kind: str, path: str) -> Response:
        return self.request(kind, "GET", path)

    def post(self, kind: str, path: str, fields: dict, files: dict | None = None) -> Response:
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), None
        return self.request(kind, "POST", path, body=body, content_type=content_type)

    def _keep_cookies(self, headers) -> None:
        for line in headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def csrf_token(response: Response) -> str | None:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    return found.group(1) if found else None


# --- What the clients do --------------------------------------------------------------------
@dataclasses.dataclass
class RsvpAttempt:
    person_id: int
    meeting_slug: str
    answer: str
    sent_at: float  # monotonic
    outcome: str  # "ok", "uncertain" (no response), "rate limited", "refused"


@dataclasses.dataclass
class SubmissionAttempt:
    user_id: int
    title: str
    authors: list[str]
    file_name: str
    size: int
    sha256: str
    pk: int | None
    outcome: str  # "ok", "uncertain", "rate limited", "refused", "draft" (saved, not submitted)


class Soak:
    def __init__(self, *, host, port, accounts, meetings, addresses, recorder, seed, think):
        self.host, self.port = host, port
        self.addresses = addresses
        self.recorder = recorder
        self.think = think
        self.meeting_slugs = [meeting.slug for meeting in meetings]
        self.rsvp_pool: queue.Queue = queue.Queue()
        self.submission_pool: queue.Queue = queue.Queue()
        for account in accounts:
            if account.rsvp_left:
                self.rsvp_pool.put(account)
            if account.submissions_left:
                self.submission_pool.put(account)
        self.last_answer: dict[tuple[int, str], str] = {}
        self.rsvps: list[RsvpAttempt] = []
        self.submissions: list[SubmissionAttempt] = []
        self.lock = threading.Lock()
        self.seed = seed
        self.run_tag = time.strftime("%Y%m%d-%H%M%S")
        self.sequence = 0

    def browser(self, account: Account | None = None) -> Browser:
        cookies = {settings.SESSION_COOKIE_NAME: account.session_key} if account else None
        return Browser(self.host, self.port, self.recorder, cookies)

    def client(self, number: int, until: float) -> None:
        rng = random.Random(f"{self.seed}:{number}")
        actions, weights = list(ACTIONS), list(ACTIONS.values())
        while time.monotonic() < until:
            action = rng.choices(actions, weights)[0]
            try:
                if action == "rsvp":
                    self.answer_invitation(rng)
                elif action == "submit":
                    self.submit_paper(rng)
                elif action == "search":
                    self.search(rng)
                else:
                    self.browse(rng)
            except ConnectionFailed as error:
                self.recorder.note("connection failed", str(error))
            except Exception as error:  # a bug of this script: noted, and the client goes on
                self.recorder.note("client error", f"{action}: {error!r}")
            if self.think:
                time.sleep(rng.uniform(0, 2 * self.think))

    def browse(self, rng: random.Random) -> None:
        kinds = [kind for kind in BROWSE_PAGES if kind in self.addresses]
        kind = rng.choices(kinds, [BROWSE_PAGES[kind] for kind in kinds])[0]
        path = rng.choice(LANGUAGE_PREFIXES) + rng.choice(self.addresses[kind])
        response = self.browser().get(kind, path)
        if response.status != 200:
            self.recorder.note(
                f"{kind} {response.status}",
                f"GET {path} -> {response.status}",
                wrong=response.status < 500,
            )

    def search(self, rng: random.Random) -> None:
        words = " ".join(rng.sample(SEARCH_WORDS, rng.choice([1, 1, 2, 2, 3])))
        path = f"/knowledge-hub/?q={quote_plus(words)}{rng.choice(SEARCH_FILTERS)}"
        response = self.browser().get("search", path)
        if response.status != 200:
            self.recorder.note(
                f"search {response.status}",
                f"GET {path} -> {response.status}",
                wrong=response.status < 500,
            )

    def _take(self, pool: queue.Queue, rng: random.Random) -> Account | None:
        try:
            return pool.get_nowait()
        except queue.Empty:
            return None

    def answer_invitation(self, rng: random.Random) -> None:
        account = self._take(self.rsvp_pool, rng)
        if account is None:
            self.recorder.note("rsvp skipped: every account spent its hourly answers")
            return self.browse(rng)
        try:
            self._answer(account, rng)
        finally:
            account.rsvp_left -= 1
            if account.rsvp_left > 0:
                self.rsvp_pool.put(account)

    def _answer(self, account: Account, rng: random.Random) -> None:
        slug = rng.choice(self.meeting_slugs)
        browser = self.browser(account)
        page = browser.get("meeting (signed in)", f"/meetings/{slug}/")
        token = csrf_token(page)
        if page.status != 200 or token is None or f"/meetings/{slug}/rsvp/" not in page.text:
            self.recorder.note(
                "rsvp form missing",
                f"GET /meetings/{slug}/ -> {page.status}",
                wrong=page.status < 500,
            )
            return
        key = (account.person_id, slug)
        with self.lock:
            previous = self.last_answer.get(key)
        answer = rng.choice([a for a in ANSWER_LABELS if a != previous])
        attempt = RsvpAttempt(account.person_id, slug, answer, time.monotonic(), "uncertain")
        with self.lock:
            self.rsvps.append(attempt)
        response = browser.post(
            "rsvp POST",
            f"/meetings/{slug}/rsvp/",
            {"csrfmiddlewaretoken": token, "response": answer},
        )
        if response.status == 429:
            attempt.outcome = "rate limited"
            self.recorder.note("rsvp 429")
            return
        if response.status >= 500:
            return  # counted with the errors; the answer may or may not be stored
        if response.status != 302:
            attempt.outcome = "refused"
            self.recorder.note(
                "rsvp refused",
                f"POST /meetings/{slug}/rsvp/ {answer} -> {response.status}",
                wrong=True,
            )
            return
        # The answer is stored once the POST answered 302; the page then says so.
        attempt.outcome = "ok"
        with self.lock:
            self.last_answer[key] = answer
        after = browser.get("meeting (signed in)", response.location.split("#")[0])
        shown = f"Your answer: <strong>{ANSWER_LABELS[answer]}</strong>"
        if after.status == 200 and (RSVP_DONE not in after.text or shown not in after.text):
            self.recorder.note(
                "rsvp not shown", f"{slug} {answer}: the page lacks the message", wrong=True
            )

    def submit_paper(self, rng: random.Random) -> None:
        account = self._take(self.submission_pool, rng)
        if account is None:
            self.recorder.note("submission skipped: every account spent its daily submissions")
            return self.browse(rng)
        try:
            self._submit(account, rng)
        finally:
            account.submissions_left -= 1
            if account.submissions_left > 0:
                self.submission_pool.put(account)

    def _submit(self, account: Account, rng: random.Random, one_step: bool | None = None) -> None:
        with self.lock:
            self.sequence += 1
            number = self.sequence
        title = f"Soak {self.run_tag} paper {number}: {' '.join(rng.sample(SEARCH_WORDS, 4))}"
        authors = [f"Author {number}-{index}" for index in range(1, rng.choice([1, 2, 3]) + 1)]
        pdf = make_pdf(title, "Second page of a soak benchmark paper.")
        file_name = f"soak-paper-{number}.pdf"
        attempt = SubmissionAttempt(
            user_id=account.user_id,
            title=title,
            authors=authors,
            file_name=file_name,
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            pk=None,
            outcome="uncertain",
        )
        browser = self.browser(account)
        form = browser.get("submit form", "/knowledge-hub/submit/")
        token = csrf_token(form)
        if form.status != 200 or token is None:
            self.recorder.note(
                "submit form missing",
                f"GET /knowledge-hub/submit/ -> {form.status}",
                wrong=form.status < 500,
            )
            return
        fields = {
            "csrfmiddlewaretoken": token,
            "title": title,
            "kind": "research_paper",
            "language": "en",
            "abstract": f"An abstract about {title.lower()}.",
            "licence": "cc-by-4.0",
            "cover_note": "",
            "authors-TOTAL_FORMS": "3",
            "authors-INITIAL_FORMS": "0",
            "authors-MIN_NUM_FORMS": "0",
            "authors-MAX_NUM_FORMS": "40",
        }
        for index in range(3):
            fields[f"authors-{index}-name"] = authors[index] if index < len(authors) else ""
            fields[f"authors-{index}-affiliation"] = (
                "Soak University" if index < len(authors) else ""
            )
            fields[f"authors-{index}-ORDER"] = ""
        files = {"pdf": (file_name, pdf, "application/pdf")}
        with self.lock:
            self.submissions.append(attempt)
        if one_step is None:  # half submit at once, half save a draft first
            one_step = rng.random() < 0.5
        response = browser.post(
            "submit POST" if one_step else "save POST",
            "/knowledge-hub/submit/",
            {**fields, "action": "submit" if one_step else "save"},
            files,
        )
        if not one_step and response.status == 302:
            edit_path = response.location
            found = re.fullmatch(r"/knowledge-hub/my-submissions/(\d+)/edit/", edit_path)
            if found is None:
                attempt.outcome = "refused"
                self.recorder.note("save redirect", f"save -> {edit_path}", wrong=True)
                return
            attempt.pk = int(found.group(1))
            edit = browser.get("edit form", edit_path)
            token = csrf_token(edit)
            if edit.status != 200 or token is None or f"Current file: {file_name}" not in edit.text:
                attempt.outcome = "draft"  # saved, never submitted
                self.recorder.note(
                    "draft page wrong", f"GET {edit_path} -> {edit.status}", wrong=edit.status < 500
                )
                return
            response = browser.post(
                "submit POST",
                edit_path,
                {**fields, "csrfmiddlewaretoken": token, "action": "submit"},
            )
        if response.status == 429:
            attempt.outcome = "rate limited"
            self.recorder.note("submission 429")
            return
        if response.status >= 500:
            return  # counted with the errors; the submission may or may not be stored
        found = re.fullmatch(r"/knowledge-hub/my-submissions/(\d+)/", response.location)
        if response.status != 302 or found is None:
            attempt.outcome = "refused"
            snippet = re.sub(r"\s+", " ", response.text[:300])
            self.recorder.note(
                "submission refused",
                f"submit -> {response.status} {response.location} {snippet}",
                wrong=True,
            )
            return
        attempt.pk, attempt.outcome = int(found.group(1)), "ok"
        page = browser.get("my submission", response.location)
        if page.status == 200 and title not in page.text:
            self.recorder.note("submission page lacks the title", response.location, wrong=True)


# --- The gunicorn restart -----------------------------------------------------------------
def worker_pids(master_pid: int) -> set[int]:
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid and fields[0] != "Z":
            pids.add(int(entry.name))
    return pids


def healthy(host: str, port: int) -> bool:
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Connection": "close", **Server.headers})
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def restart(
    *, master_pid: int, mode: str, workers: int, host: str, port: int
) -> tuple[float, float]:
    """Send the restart and wait until the old workers are gone and as many new ones answer;
    print how long each step took and return the window (monotonic start and end)."""
    before = worker_pids(master_pid)
    started = time.monotonic()
    if mode == "hup":
        os.kill(master_pid, signal.SIGHUP)
        gone = before
    else:
        gone = {min(before)}
        os.kill(min(before), signal.SIGKILL)
    new_up = old_gone = None
    deadline = started + 120
    while time.monotonic() < deadline:
        now = worker_pids(master_pid)
        if new_up is None and len(now - before) >= len(gone):
            new_up = time.monotonic() - started
        if old_gone is None and not gone & now:
            old_gone = time.monotonic() - started
        if new_up is not None and old_gone is not None and healthy(host, port):
            break
        time.sleep(0.1)
    else:
        print("warning: the workers did not come back within 120 s", file=sys.stderr)
    ended = time.monotonic()
    print(
        f"Restart ({'SIGHUP to the master' if mode == 'hup' else 'SIGKILL to one worker'}): "
        f"{len(gone)} old worker(s); new ones forked after {new_up or 0:.1f} s, old ones gone "
        f"after {old_gone or 0:.1f} s, serving again after {ended - started:.1f} s",
        flush=True,
    )
    return started, ended + 1.0


# --- Report and verification ----------------------------------------------------------------
def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report_traffic(recorder: Recorder, window: tuple[float, float] | None, duration: float) -> int:
    """Print the figures; return the number of 5xx and failed connections outside the window."""
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in recorder.samples:
        by_kind[sample.kind].append(sample)
    total = len(recorder.samples)
    print(f"\nRequests: {total} in {duration:.0f} s ({total / duration:.1f}/s)")
    print(f"{'kind':<22}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for kind in sorted(by_kind, key=lambda k: -len(by_kind[k])):
        samples = by_kind[kind]
        times = [s.elapsed * 1000 for s in samples if s.status is not None] or [0.0]
        statuses = Counter(str(s.status) if s.status else "no response" for s in samples)
        shown = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
        print(
            f"{kind:<22}{len(samples):>7}{percentile(times, 0.5):>9.0f}"
            f"{percentile(times, 0.95):>9.0f}{percentile(times, 0.99):>9.0f}  {shown}"
        )
    codes = Counter(str(s.status) if s.status else "no response" for s in recorder.samples)
    print("Status codes: " + ", ".join(f"{c}: {n}" for c, n in sorted(codes.items())))

    def in_window(sample: Sample) -> bool:
        return window is not None and (
            sample.started <= window[1] and sample.started + sample.elapsed >= window[0]
        )

    bad = [s for s in recorder.samples if s.status is None or s.status >= 500]
    inside = [s for s in bad if in_window(s)]
    outside = [s for s in bad if not in_window(s)]
    if window is not None:
        touching = sum(1 for s in recorder.samples if in_window(s))
        print(
            f"Restart window: {window[0] - recorder.origin:.1f}-{window[1] - recorder.origin:.1f} s "
            f"({window[1] - window[0]:.1f} s, {touching} requests overlapped it)"
        )
    print(
        f"5xx or no response outside the restart window: {len(outside)} (target 0); "
        f"inside it: {len(inside)}"
    )
    for sample in outside[:10]:
        print(
            f"  {sample.started - recorder.origin:7.1f}s {sample.kind} {sample.path} "
            f"-> {sample.status or 'no response'}"
        )
    finished = sorted(s.started + s.elapsed for s in recorder.samples if s.status is not None)
    if len(finished) > 1:
        gap, after = max((b - a, a) for a, b in itertools.pairwise(finished))
        print(
            f"Longest time without a response: {gap:.1f} s (from {after - recorder.origin:.1f} s)"
        )
    slowest = sorted(recorder.samples, key=lambda s: -s.elapsed)[:5]
    print(
        "Slowest: "
        + "; ".join(
            f"{s.kind} {s.elapsed:.1f} s at {s.started - recorder.origin:.0f} s"
            + (" (in the window)" if in_window(s) else "")
            for s in slowest
        )
    )
    events = {k: v for k, v in recorder.events.items() if k != "5xx"}
    if events:
        print("Events: " + ", ".join(f"{k}: {v}" for k, v in sorted(events.items())))
    for line in recorder.failures[:20]:
        print("  " + line)
    return len(outside)


def verify(soak: Soak) -> bool:
    """Check in the database every write the clients recorded; print the verdict per kind."""
    ok = True
    # Submissions.
    recorded = [a for a in soak.submissions if a.outcome == "ok"]
    uncertain = [a for a in soak.submissions if a.outcome == "uncertain"]
    stored = {
        s.pk: s
        for s in Submission.objects.filter(pk__in=[a.pk for a in recorded])
        .select_related("current_version")
        .prefetch_related("authors")
    }
    missing, wrong = [], []
    for attempt in recorded:
        submission = stored.get(attempt.pk)
        if submission is None:
            missing.append(attempt.pk)
            continue
        version = submission.current_version
        problems = []
        if submission.submitter_id != attempt.user_id:
            problems.append("submitter")
        if submission.state != SubmissionState.SUBMITTED:
            problems.append(f"state {submission.state}")
        if submission.title != attempt.title:
            problems.append("title")
        if [a.name for a in submission.authors.all()] != attempt.authors:
            problems.append("authors")
        if version is None or version.submitted_at is None:
            problems.append("no submitted version")
        elif (version.original_name, version.file_size, version.file_sha256) != (
            attempt.file_name,
            attempt.size,
            attempt.sha256,
        ):
            problems.append("file")
        elif not version.pdf.storage.exists(version.pdf.name):
            problems.append("file missing from storage")
        if problems:
            wrong.append((attempt.pk, problems))
    in_run = Submission.objects.filter(
        title__startswith=f"Soak {soak.run_tag} paper ", state=SubmissionState.SUBMITTED
    ).count()
    print(
        f"\nSubmissions: {len(soak.submissions)} attempted, {len(recorded)} recorded as submitted, "
        f"{len(recorded) - len(missing) - len(wrong)} found submitted with their title, authors "
        f"and file; missing {len(missing)}, wrong {len(wrong)}; "
        f"{sum(a.outcome == 'rate limited' for a in soak.submissions)} rate limited, "
        f"{sum(a.outcome == 'refused' for a in soak.submissions)} refused, "
        f"{len(uncertain)} uncertain (no response)"
    )
    extra = in_run - (len(recorded) - len(missing))
    print(f"  submitted in the database for this run: {in_run} ({extra} beyond those recorded)")
    if missing or wrong or not 0 <= extra <= len(uncertain):
        ok = False
        for pk in missing[:10]:
            print(f"  MISSING submission {pk}")
        for pk, problems in wrong[:10]:
            print(f"  WRONG submission {pk}: {', '.join(problems)}")
        if extra > len(uncertain):
            print("  MORE submitted than recorded and uncertain attempts together")

    # Invitation answers: per invitation, the last one that answered 302 (or an uncertain later one).
    attempts_by_key: dict[tuple[int, str], list[RsvpAttempt]] = defaultdict(list)
    for attempt in sorted(soak.rsvps, key=lambda a: a.sent_at):
        attempts_by_key[(attempt.person_id, attempt.meeting_slug)].append(attempt)
    stored_answers = {
        (person_id, slug): response
        for person_id, slug, response in Invitation.objects.filter(
            meeting__slug__in=soak.meeting_slugs,
            person_id__in={key[0] for key in attempts_by_key},
        ).values_list("person_id", "meeting__slug", "response")
    }
    checked = wrong_answers = 0
    for key, attempts in attempts_by_key.items():
        confirmed = [a for a in attempts if a.outcome == "ok"]
        if not confirmed:
            continue
        last = confirmed[-1]
        acceptable = {last.answer} | {
            a.answer for a in attempts if a.outcome == "uncertain" and a.sent_at > last.sent_at
        }
        checked += 1
        if stored_answers.get(key) not in acceptable:
            wrong_answers += 1
            if wrong_answers <= 10:
                print(
                    f"  WRONG answer: person {key[0]} at {key[1]}: stored "
                    f"{stored_answers.get(key)!r}, expected {' or '.join(sorted(acceptable))}"
                )
    outcomes = Counter(a.outcome for a in soak.rsvps)
    print(
        f"Invitation answers: {len(soak.rsvps)} sent ({outcomes['ok']} recorded, "
        f"{outcomes['rate limited']} rate limited, {outcomes['refused']} refused, "
        f"{outcomes['uncertain']} uncertain) on {len(attempts_by_key)} invitations; "
        f"{checked - wrong_answers} of {checked} hold the last recorded answer, {wrong_answers} wrong"
    )
    return ok and not wrong_answers


def print_tracebacks(server: Server, most: int = 3) -> None:
    """The server's tracebacks (Django logs every 500 with one), the first few in full."""
    if server.log_path is None or not server.log_path.exists():
        return
    lines = server.log_path.read_text(errors="replace").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent")]
    print(f"\nTracebacks in gunicorn's log ({server.log_path}): {len(starts)}")
    # Each from the line before it (Django's "Internal Server Error: <path>") to the next one.
    for start, following in list(zip(starts, [*starts[1:], len(lines) + 1], strict=False))[:most]:
        print("\n".join(lines[max(0, start - 1) : min(following - 1, start + 80)])[-4000:])


# --- Main ---------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument(
        "--workers", type=int, default=default_workers(), help="gunicorn workers (2 x cores + 1)"
    )
    parser.add_argument("--restart", choices=["hup", "kill", "none"], default="hup")
    parser.add_argument("--restart-at", type=float, help="seconds into the run (default: half)")
    parser.add_argument(
        "--accounts",
        type=int,
        help="at least this many observer accounts (default: 3 per client)",
    )
    parser.add_argument(
        "--budget-per-client-minute",
        type=int,
        default=25,
        help="answers and submissions the accounts must together have left, per client and "
        "minute of the run (more than a client sends on the development machine)",
    )
    parser.add_argument(
        "--think", type=float, default=0.05, help="mean pause between a client's actions (s)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--short", action="store_true", help="development: 1 minute, 4 clients")
    options = parser.parse_args()
    if options.short:
        options.minutes, options.clients = 1.0, 4
    duration = options.minutes * 60
    restart_at = options.restart_at if options.restart_at is not None else duration / 2
    host = "127.0.0.1"

    started = time.monotonic()
    accounts, meetings = prepare_accounts(
        wanted=options.accounts or 3 * options.clients,
        budget=round(options.budget_per_client_minute * options.clients * options.minutes),
    )
    addresses = public_addresses()
    print(
        f"Setup: {len(accounts)} observer accounts "
        f"({sum(a.rsvp_left for a in accounts)} answers and "
        f"{sum(a.submissions_left for a in accounts)} submissions left), "
        f"{len(meetings)} meetings, {sum(map(len, addresses.values()))} public addresses "
        f"({time.monotonic() - started:.1f} s)"
    )

    server = Server(port=options.port, env=SERVER_ENV, workers=options.workers).start()
    try:
        recorder = Recorder(origin=time.monotonic())
        soak = Soak(
            host=host,
            port=options.port,
            accounts=accounts,
            meetings=meetings,
            addresses=addresses,
            recorder=recorder,
            seed=options.seed,
            think=options.think,
        )
        until = recorder.origin + duration
        threads = [
            threading.Thread(target=soak.client, args=(n, until), daemon=True)
            for n in range(options.clients)
        ]
        load_before = os.getloadavg()[0]
        for thread in threads:
            thread.start()
        print(
            f"Traffic: {options.clients} clients for {options.minutes:g} min against gunicorn "
            f"({server.workers} workers) on port {options.port}; restart "
            f"({options.restart}) at {restart_at:.0f} s; load average {load_before:.1f}",
            flush=True,
        )
        window = None
        if options.restart != "none":
            time.sleep(max(0.0, recorder.origin + restart_at - time.monotonic()))
            window = restart(
                master_pid=server.process.pid,
                mode=options.restart,
                workers=server.workers,
                host=host,
                port=options.port,
            )
        for thread in threads:
            thread.join()
        errors_outside = report_traffic(recorder, window, time.monotonic() - recorder.origin)
        print(f"Load average before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")
    finally:
        server.stop()
    print_tracebacks(server)
    verified = verify(soak)
    if recorder.wrong:
        print(
            "Wrong answers from pages: " + ", ".join(f"{k}: {v}" for k, v in recorder.wrong.items())
        )
    passed = verified and errors_outside == 0 and not recorder.wrong
    print(f"\nVerdict: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
