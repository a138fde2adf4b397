"""A real S3-protocol server for tests: moto in server mode, in its own process on a free
port, started and stopped by the test that needs it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

ACCESS_KEY = "aims-test-access-key"
SECRET_KEY = "aims-test-secret-key"
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def s3_server() -> Iterator[str]:
    """The endpoint URL of a fresh, empty S3-compatible server for the duration."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                             "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the S3 server did not start: {proc.stderr.read() if proc.stderr else exc}") from exc
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def s3_env(endpoint: str, bucket: str, prefix: str = "") -> dict[str, str]:
    """The settings an operator sets to use that server (see config.settings.base)."""
    return {"AIMS_STORAGE": "s3", "AIMS_S3_BUCKET": bucket, "AIMS_S3_ENDPOINT_URL": endpoint,
            "AIMS_S3_ACCESS_KEY_ID": ACCESS_KEY, "AIMS_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "AIMS_S3_REGION": REGION, "AIMS_S3_PREFIX": prefix, "AIMS_S3_ADDRESSING_STYLE": "path"}


def bucket_create(endpoint: str, bucket: str):
    """Create `bucket`; returns a boto3 client on the server (to look behind aims' back)."""
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name=REGION)
    client.create_bucket(Bucket=bucket)
    return client
