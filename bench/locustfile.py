"""The deadline rush: applicants saving drafts, uploading and submitting while reviewers work
their queues. Run by `make bench` (scripts/bench.sh) against gunicorn on PostgreSQL.

Users are the `load_applicant_<n>` accounts made by `manage.py generate_applications
--applicants N --complete --reviewers M` (each owns one complete draft in the open batch) and the
`load_supervisor_<n>` / `load_recommender_<n>` reviewers, resumed from signed-in sessions."""

import hashlib
import hmac
import io
import itertools
import json
import os
import re
import struct
import time
from pathlib import Path

from locust import HttpUser, between, task
from payloads import PDF, SCALE

PASSWORD = os.environ.get("BENCH_PASSWORD", "Demo-2026-Jiangsu")
# The published demo TOTP key the generator gives load reviewers (makerspace/security/demo.py).
DEMO_TOTP_KEY = bytes.fromhex("3132333435363738393031323334353637383930")
_applicant_numbers = itertools.count()
_sign_in_numbers = itertools.count()
# Sessions made by bench/make_sessions.py: the rush starts from signed-in people.
SESSIONS = (
    json.loads(Path(os.environ["BENCH_SESSIONS"]).read_text()) if os.environ.get("BENCH_SESSIONS") else {}
)
_reviewer_numbers = itertools.count()
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPLICATION_RE = re.compile(r'href="/applications/(\d+)/"')
REVIEW_LINK_RE = re.compile(r'href="(/review/(?:supervisor/\d+|applications/\d+/review)/)"')


def totp(key: bytes, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as the server's django-otp devices use."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def resume(user: HttpUser, username: str) -> None:
    """Continue the signed-in session of `username` (see make_sessions.py)."""
    user.client.cookies.set("sessionid", SESSIONS[username], domain="127.0.0.1")


class SignIn(HttpUser):
    """Sign-in on its own: the password form, then for reviewers the TOTP code. Measured in a phase
    of its own, since its cost is one deliberately slow password hash per person."""

    wait_time = between(0.5, 1)

    @task
    def sign_in(self):
        n = next(_sign_in_numbers)
        reviewer = n % 2 == 1
        username = f"load_recommender_{n % 10}" if reviewer else f"load_applicant_{n % 200}"
        self.client.cookies.clear()
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF_RE.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="/accounts/login/ (post)",
        )
        if reviewer:
            page = self.client.get("/security/2fa/verify/", name="/security/2fa/verify/")
            match = CSRF_RE.search(page.text)
            if match:
                self.client.post(
                    "/security/2fa/verify/",
                    {"token": totp(DEMO_TOTP_KEY), "csrfmiddlewaretoken": match.group(1)},
                    name="/security/2fa/verify/ (post)",
                )


class SignInBesideRush(SignIn):
    """Four people signing in again and again during the rush: the rush's table shows what a
    sign-in costs while the cores are busy, and what the sign-ins take from the rush."""

    fixed_count = 4


class Applicant(HttpUser):
    """An operating entity in the last hours before the deadline."""

    weight = 9
    wait_time = between(1, 3)

    def on_start(self):
        self.number = next(_applicant_numbers)
        self.submitted = False
        resume(self, f"load_applicant_{self.number}")
        page = self.client.get("/applications/", name="/applications/ (list)")
        match = APPLICATION_RE.search(page.text)
        self.application_id = match.group(1) if match else None

    def _csrf(self, path: str, name: str) -> str:
        page = self.client.get(path, name=name)
        match = CSRF_RE.search(page.text)
        return match.group(1) if match else ""

    @task(6)
    def save_draft(self):
        if not self.application_id or self.submitted:
            return
        base = f"/applications/{self.application_id}"
        token = self._csrf(f"{base}/basic/scale/", "/applications/[id]/basic/scale/")
        self.client.post(
            f"{base}/autosave/basic:scale/",
            {"csrfmiddlewaretoken": token, **SCALE},
            headers={"HX-Request": "true", "X-CSRFToken": token},
            name="/applications/[id]/autosave/[section]/",
        )

    @task(2)
    def upload_evidence(self):
        if not self.application_id or self.submitted:
            return
        path = f"/applications/{self.application_id}/files/"
        token = self._csrf(path, "/applications/[id]/files/")
        self.client.post(
            path,
            {"csrfmiddlewaretoken": token, "kind": "evidence", "title": "场地证明"},
            files={"file": ("evidence.pdf", io.BytesIO(PDF), "application/pdf")},
            name="/applications/[id]/files/ (upload)",
        )

    @task(1)
    def submit(self):
        if not self.application_id or self.submitted:
            return
        base = f"/applications/{self.application_id}"
        # Uploads void the signature (R4): sign again, then submit.
        token = self._csrf(f"{base}/commitment/", "/applications/[id]/commitment/")
        self.client.post(
            f"{base}/commitment/",
            {"csrfmiddlewaretoken": token, "signatory": "测试法人", "agree": "on"},
            name="/applications/[id]/commitment/ (sign)",
        )
        token = self._csrf(f"{base}/", "/applications/[id]/")
        response = self.client.post(
            f"{base}/submit/", {"csrfmiddlewaretoken": token}, name="/applications/[id]/submit/"
        )
        self.submitted = response.ok

    @task(2)
    def view_application(self):
        if self.application_id:
            self.client.get(f"/applications/{self.application_id}/", name="/applications/[id]/")


class Reviewer(HttpUser):
    """A supervising department or a recommending unit working its queue during the rush."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        n = next(_reviewer_numbers)
        role = "supervisor" if n % 2 == 0 else "recommender"
        self.queue = f"/review/{role}/"
        resume(self, f"load_{role}_{n // 2}")

    @task(3)
    def work_queue(self):
        page = self.client.get(self.queue, name="/review/[role]/ (queue)")
        links = REVIEW_LINK_RE.findall(page.text)
        if links:
            self.client.get(links[len(links) // 2], name="/review/[role]/[id]/ (detail)")


class Baseline(HttpUser):
    """A bare Django view on the same server: the yardstick that makes results comparable."""

    wait_time = between(0, 0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz (bare view)")
