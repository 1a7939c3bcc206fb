"""The production layout on one machine (scripts/multiserver.sh): nginx in front of two gunicorn
servers, PostgreSQL, Redis, a Celery worker and an S3 server (moto). One journey through the load
balancer, each consecutive request answered by the other server: sign-in with two factors,
autosave, upload, submit, a reviewer's decision, a package built by the worker and downloaded from
S3. Runs only when the script sets MULTISERVER_URL."""

import hashlib
import hmac
import json
import os
import re
import struct
import time

import pytest

BASE = os.environ.get("MULTISERVER_URL", "")
pytestmark = [
    pytest.mark.multiserver,
    pytest.mark.skipif(not BASE, reason="runs inside scripts/multiserver.sh"),
]


def totp(hex_key: str, at: float | None = None) -> str:
    """RFC 6238, as django-otp's TOTP devices compute it (SHA-1, 30 s, 6 digits)."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Browser:
    """A requests session that keeps the CSRF token and records which server answered."""

    def __init__(self, servers: list):
        import requests

        self.session = requests.Session()
        self.servers = servers

    def _record(self, response):
        for hop in [*response.history, response]:
            self.servers.append(hop.headers.get("X-Upstream", "?"))
        return response

    def get(self, path, **kwargs):
        return self._record(self.session.get(BASE + path, timeout=30, **kwargs))

    def post(self, path, data=None, **kwargs):
        token = self.session.cookies.get("csrftoken")
        headers = {"X-CSRFToken": token, "Referer": BASE + path, **kwargs.pop("headers", {})}
        body = {"csrfmiddlewaretoken": token, **(data or {})}
        return self._record(self.session.post(BASE + path, data=body, headers=headers, timeout=60, **kwargs))


@pytest.fixture(scope="module")
def world():
    with open(os.environ["MULTISERVER_WORLD"]) as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def servers():
    return []


def _messages(response) -> list[str]:
    return re.findall(r'<li class="msg[^"]*"[^>]*>([^<]+)</li>', response.text)


def _login(browser, username, password):
    browser.get("/accounts/login/")
    return browser.post("/accounts/login/", {"username": username, "password": password})


def test_journey_through_the_load_balancer(world, servers):
    pk = world["application"]
    applicant = Browser(servers)

    signed_in = _login(applicant, world["applicant"], world["password"])
    assert signed_in.status_code == 200 and "/accounts/login/" not in signed_in.url

    # autosave of 附件3 while typing (htmx)
    page = applicant.get(f"/applications/{pk}/report/").text
    fields = dict(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    fields.update(re.findall(r'<input[^>]*type="hidden"[^>]*name="(row_version)"[^>]*value="([^"]*)"', page))
    first = next(name for name in fields if name != "row_version")
    fields[first] = (fields[first] or "") + "（多服务器自动保存）"
    saved = applicant.post(f"/applications/{pk}/autosave/report/", fields, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and "已自动保存" in saved.text, saved.text[:300]

    # upload evidence (to S3), sign 附件4 again, submit
    applicant.get(f"/applications/{pk}/files/")
    from makerspace.core.demo import blank_pdf

    uploaded = applicant.post(
        f"/applications/{pk}/files/",
        {"kind": "evidence", "title": "场地租赁合同"},
        files={"file": ("合同.pdf", blank_pdf("场地租赁合同"), "application/pdf")},
    )
    assert uploaded.status_code == 200 and "场地租赁合同" in uploaded.text
    applicant.get(f"/applications/{pk}/commitment/")
    signed = applicant.post(f"/applications/{pk}/commitment/", {"signatory": "王法人", "agree": "on"})
    assert signed.status_code == 200
    submitted = applicant.post(f"/applications/{pk}/submit/")
    assert "已提交第1版" in submitted.text, _messages(submitted)

    # the supervisor signs in with password and TOTP, and returns the application with comments
    supervisor = Browser(servers)
    asked = _login(supervisor, world["supervisor"], world["password"])
    assert "/security/2fa/verify/" in asked.url
    verified = supervisor.post(asked.url.removeprefix(BASE), {"token": totp(world["supervisor_totp_key"])})
    assert "/security/2fa/verify/" not in verified.url
    supervisor.get(f"/review/supervisor/{pk}/")
    returned = supervisor.post(f"/review/applications/{pk}/return/", {"comment": "请补充场地产权证明。"})
    assert returned.status_code == 200
    # the applicant, on the other server, sees the decision and its comment
    assert "请补充场地产权证明。" in applicant.get(f"/applications/{pk}/").text

    # the package of version 1, built by the Celery worker, downloaded from S3 through the app
    applicant.get(f"/applications/{pk}/")
    started = applicant.post(f"/documents/applications/{pk}/package/", {"version": "1"})
    job = re.search(r"/documents/jobs/(\d+)/", started.url).group(1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        progress = applicant.get(f"/documents/jobs/{job}/progress/", headers={"HX-Request": "true"}).text
        if "/download/" in progress or "失败" in progress:
            break
        time.sleep(1)
    assert f"/documents/jobs/{job}/download/" in progress, progress
    download = applicant.get(f"/documents/jobs/{job}/download/")
    assert download.status_code == 200 and download.content[:5] == b"%PDF-"

    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"],
        region_name=os.environ["AWS_S3_REGION_NAME"],
        aws_access_key_id=os.environ["AWS_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_S3_SECRET_ACCESS_KEY"],
    )
    stored = {o["Key"]: o["Size"] for o in s3.list_objects_v2(Bucket=world["bucket"]).get("Contents", [])}
    assert len(download.content) in [size for key, size in stored.items() if key.startswith(f"jobs/{job}/")]
    assert any(key.startswith(f"applications/{pk}/") for key in stored), stored

    # every e-mail of the journey left the outbox through Redis and the worker; /metrics answers
    # on the server itself and is denied through nginx
    import requests

    assert requests.get(BASE + "/metrics", timeout=10).status_code == 403
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        metrics = requests.get(os.environ["MULTISERVER_APP_URL"] + "/metrics", timeout=10).text
        if 'makerspace_outbox_messages{status="pending"} 0.0' in metrics:
            break
        time.sleep(1)
    assert 'makerspace_outbox_messages{status="pending"} 0.0' in metrics
    assert 'makerspace_document_jobs{status="done"} 1.0' in metrics
    assert "makerspace_http_requests_total" in metrics


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as handle:
        return [int(child) for child in handle.read().split()]


def test_worker_killed_mid_job_the_job_finishes_after_the_restart(world, servers):
    """The Celery process building a package is killed (SIGKILL) while the job runs: the worker
    starts a new process, the broker gives the job back (late ack), and it finishes once the dead
    run's heartbeat is stale (DOCUMENT_JOB_STALE_SECONDS, 10 s here)."""
    import signal

    pk = world["application"]
    applicant = Browser(servers)
    _login(applicant, world["applicant"], world["password"])
    applicant.get(f"/applications/{pk}/")
    started = applicant.post(f"/documents/applications/{pk}/package/", {})  # the live draft: a new build
    job = re.search(r"/documents/jobs/(\d+)/", started.url).group(1)
    worker = int(os.environ["CELERY_WORKER_PID"])
    killed = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not killed:
        progress = applicant.get(f"/documents/jobs/{job}/progress/", headers={"HX-Request": "true"}).text
        assert "/download/" not in progress, "finished before it could be killed"
        if "生成中" in progress:
            for child in _children(worker):
                os.kill(child, signal.SIGKILL)
                killed.append(child)
        else:
            time.sleep(0.05)
    assert killed, "the job never ran"

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        progress = applicant.get(f"/documents/jobs/{job}/progress/", headers={"HX-Request": "true"}).text
        if "/download/" in progress or "失败" in progress:
            break
        time.sleep(1)
    assert f"/documents/jobs/{job}/download/" in progress, progress
    assert applicant.get(f"/documents/jobs/{job}/download/").content[:5] == b"%PDF-"
    assert set(_children(worker)).isdisjoint(killed)  # the worker replaced its killed process


def _pending_outbox() -> float:
    import requests

    metrics = requests.get(os.environ["MULTISERVER_APP_URL"] + "/metrics", timeout=10).text
    return float(re.search(r'makerspace_outbox_messages\{status="pending"\} ([0-9.]+)', metrics).group(1))


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_broker_down_during_a_submission_the_user_sees_success_and_the_mail_goes_out_later(world, servers):
    import signal
    import subprocess
    import sys

    pk = world["application"]
    port = int(os.environ["MULTISERVER_BROKER_PORT"])
    pidfile = os.environ["MULTISERVER_BROKER_PIDFILE"]
    worker_log = os.environ["MULTISERVER_WORKER_LOG"]
    applicant = Browser(servers)
    _login(applicant, world["applicant"], world["password"])

    with open(pidfile) as handle:
        os.kill(int(handle.read()), signal.SIGTERM)
    while _port_open(port):
        time.sleep(0.1)

    started = time.monotonic()
    submitted = applicant.post(f"/applications/{pk}/submit/")
    elapsed = time.monotonic() - started
    assert "已提交第2版" in submitted.text, _messages(submitted)
    assert elapsed < 5, elapsed
    assert _pending_outbox() >= 1
    with open(worker_log, encoding="utf-8", errors="replace") as handle:
        assert "版本：第2版" not in handle.read()

    broker = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    with open(pidfile, "w") as handle:
        handle.write(str(broker.pid))
    while not _port_open(port):
        time.sleep(0.1)
    # what the operator runs after an outage (beat does the same every minute)
    subprocess.run([sys.executable, "manage.py", "dispatch_outbox"], check=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    mailed = False
    while time.monotonic() < deadline and not mailed:
        with open(worker_log, encoding="utf-8", errors="replace") as handle:
            mailed = "版本：第2版" in handle.read()
        time.sleep(1)
    assert mailed, "the submission's mail never went out"
    assert _pending_outbox() == 0


def test_each_consecutive_request_went_to_the_other_server(servers):
    assert len(servers) > 10
    assert len(set(servers)) == 2, set(servers)
    same = [i for i in range(1, len(servers)) if servers[i] == servers[i - 1]]
    assert not same, (same, servers)
