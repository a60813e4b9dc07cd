"""Media on S3-compatible storage (django-storages) against moto's local S3 server (127.0.0.1 only)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

moto_server = pytest.importorskip("moto.server", reason="moto[server] not installed")
boto3 = pytest.importorskip("boto3")

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_media(settings, s3_endpoint):
    options = {"bucket_name": "wsis-media-test", "endpoint_url": s3_endpoint, "region_name": "us-east-1",
               "access_key": "test", "secret_key": "test", "default_acl": None, "file_overwrite": False,
               "addressing_style": "path", "signature_version": "s3v4"}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket="wsis-media-test")
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}
    return client


def test_default_storage_writes_reads_and_deletes_in_the_bucket(s3_media):
    from django.core.files.storage import default_storage

    name = default_storage.save("reports/2026/report.pdf", ContentFile(b"%PDF-1.7 on s3"))
    keys = [o["Key"] for o in s3_media.list_objects_v2(Bucket="wsis-media-test")["Contents"]]
    assert keys == [name]
    with default_storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.7 on s3"
    assert default_storage.exists(name)
    second = default_storage.save("reports/2026/report.pdf", ContentFile(b"other"))
    assert second != name  # file_overwrite=False: a second upload never replaces the first
    assert "X-Amz-Signature" in default_storage.url(name)  # private bucket, signed links
    default_storage.delete(name)
    assert not default_storage.exists(name)


def test_settings_wire_the_bucket_from_the_environment():
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "wsis.example.org", "SITE_URL": "https://wsis.example.org",
           "CACHE_URL": "redis://127.0.0.1:6379/0", "MEDIA_S3_BUCKET": "media",
           "MEDIA_S3_ENDPOINT_URL": "http://minio:9000", "MEDIA_S3_ACCESS_KEY_ID": "k",
           "MEDIA_S3_SECRET_ACCESS_KEY": "s"}
    code = ("import django; django.setup(); from django.core.files.storage import default_storage as s; "
            "from django.core.files.storage import storages; "
            "print(type(storages['default']).__name__, s.bucket_name, s.endpoint_url)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "media", "http://minio:9000"]
