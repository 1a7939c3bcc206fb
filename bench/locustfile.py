"""The deadline rush: applicants saving drafts, uploading and submitting while reviewers work
their queues. Run by `make bench` (scripts/bench.sh) against gunicorn on PostgreSQL.

Users are the `load_applicant_<n>` accounts made by `manage.py generate_applications
--applicants N --complete`; each owns one complete draft in the open batch."""

import io
import itertools
import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "Demo-2026-Jiangsu")
_applicant_numbers = itertools.count()
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
APPLICATION_RE = re.compile(r'href="/applications/(\d+)/"')


def _pdf_bytes() -> bytes:
    # A minimal one-page PDF, enough for the server's byte checks.
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
        b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n166\n%%EOF\n"
    )


PDF = _pdf_bytes()


class Applicant(HttpUser):
    """An operating entity in the last hours before the deadline."""

    weight = 9
    wait_time = between(1, 3)

    def on_start(self):
        self.number = next(_applicant_numbers)
        self.submitted = False
        self._login(f"load_applicant_{self.number}")
        page = self.client.get("/applications/", name="/applications/ (list)")
        match = APPLICATION_RE.search(page.text)
        self.application_id = match.group(1) if match else None

    def _csrf(self, path: str, name: str) -> str:
        page = self.client.get(path, name=name)
        match = CSRF_RE.search(page.text)
        return match.group(1) if match else ""

    def _login(self, username: str):
        token = self._csrf("/accounts/login/", "/accounts/login/")
        self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="/accounts/login/ (post)",
        )

    @task(6)
    def save_draft(self):
        if not self.application_id or self.submitted:
            return
        base = f"/applications/{self.application_id}"
        token = self._csrf(f"{base}/basic/scale/", "/applications/[id]/basic/scale/")
        self.client.post(
            f"{base}/autosave/basic:scale/",
            {
                "csrfmiddlewaretoken": token,
                "team_size": "20",
                "team_college_count": "18",
                "mentor_count": "25",
                "floor_area": "12000",
                "public_area": "3500",
                "angel_fund": "5000",
                "resident_projects": "46",
                "resident_enterprises": "38",
                "events_held": "61",
            },
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


class Baseline(HttpUser):
    """A bare Django view on the same server: the yardstick that makes results comparable."""

    wait_time = between(0, 0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz (bare view)")
