"""Media in an S3-compatible bucket: uploads, renditions, share cards and deletions.

The server is moto's (`moto_server`, from PyPI: a maintained implementation of
the S3 API over HTTP, signatures included); MinIO, Garage and SeaweedFS are in
neither Debian nor PyPI, and nothing else may be downloaded here. The storage
is django-storages' S3 backend with the options the settings give it when
NEWSROOM_S3_BUCKET is set.
"""

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.test import override_settings

from articles.models import Article
from articles.services import article_publish
from articles.tests.factories import ArticleFactory, UserFactory
from images.models import Image, Rendition, ShareCard
from images.tests.test_rendition_tasks import stored_picture
from tests.stack.conftest import free_port

pytestmark = pytest.mark.django_db

BUCKET = "newsroom-media"
MOTO_SERVER = Path(sys.executable).parent / "moto_server"


@pytest.fixture
def bucket():
    """Start an S3 server, make the bucket, and put the media storage in it."""
    if not MOTO_SERVER.exists() and not shutil.which("moto_server"):
        pytest.skip("skipped: the S3 tests need moto_server (requirements-dev.txt)")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - the venv's moto_server
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="newsroom",
        aws_secret_access_key="newsroom-secret",  # noqa: S106 - the test server's
        region_name="us-east-1",
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            client.create_bucket(Bucket=BUCKET)
            break
        except Exception:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)
    # Readers fetch pictures without signatures, as a public bucket (or the
    # CDN in front of it) serves them.
    client.put_bucket_policy(
        Bucket=BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{BUCKET}/*",
                    }
                ],
            }
        ),
    )
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "newsroom",
            "secret_key": "newsroom-secret",
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    with override_settings(
        STORAGES={**settings.STORAGES, "default": storage},
        MEDIA_URL=f"{endpoint}/{BUCKET}/",
    ):
        yield client
    server.terminate()
    server.wait(timeout=10)


def names_in(client) -> set[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


def test_a_pictures_files_live_in_the_bucket_and_go_with_it(bucket, run_tasks):
    image = stored_picture()
    run_tasks()
    renditions = set(
        Rendition.objects.filter(image=image).values_list("file", flat=True)
    )
    assert len(renditions) > 10
    assert {image.file.name, *renditions} <= names_in(bucket)
    head = bucket.head_object(Bucket=BUCKET, Key=next(iter(renditions)))
    assert head["CacheControl"] == "public, max-age=86400"
    Image.objects.get(pk=image.pk).delete()
    run_tasks()
    assert not {image.file.name, *renditions} & names_in(bucket)


def test_readers_get_the_buckets_addresses_and_the_cards_are_drawn_there(
    bucket, run_tasks, client, django_capture_on_commit_callbacks
):
    image = stored_picture()
    run_tasks()
    story = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, feature_image=image
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=story, user=UserFactory(role="editor"))
    run_tasks()
    cards = set(ShareCard.objects.values_list("file", flat=True))
    assert len(cards) == 3
    assert cards <= names_in(bucket)
    page = client.get(story.get_absolute_url("ko")).content.decode()
    address = page.split(f'src="{settings.MEDIA_URL}', 1)[1].split('"', 1)[0]
    with urllib.request.urlopen(f"{settings.MEDIA_URL}{address}") as answer:  # noqa: S310
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("image/")
